package dev.shopflow.ingestion.api;

import dev.shopflow.common.api.Listing;
import dev.shopflow.common.api.QueryLimits;
import dev.shopflow.common.problem.Problem;
import dev.shopflow.common.problem.ProblemException;
import dev.shopflow.ingestion.domain.SourceDefinition;
import dev.shopflow.ingestion.persistence.SourceState;
import dev.shopflow.ingestion.service.SourceCaptures;
import dev.shopflow.ingestion.service.SourceRuns;
import io.quarkus.security.Authenticated;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Sources (docs/contract.md section 2, docs/sources.md): the shop's own database, pulled by mapping queries. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class SourceResource {

    private static final String ROWS_MESSAGE = "must be a whole number between 1 and 100";

    private final SourceRuns runs;
    private final SourceCaptures captures;
    private final SourceState state;

    SourceResource(SourceRuns runs, SourceCaptures captures, SourceState state) {
        this.runs = runs;
        this.captures = captures;
        this.state = state;
    }

    @GET
    @Path("/sources")
    @Operation(summary = "Each source, its entities with their cursors, its last run and lag; the refused ones with why")
    public Map<String, Object> sources() throws SQLException {
        List<Map<String, Object>> items = new ArrayList<>();
        for (SourceDefinition s : runs.catalog().sources().values()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", s.name());
            item.put("kind", s.kind());
            item.put("location", s.location());
            item.put("schedule", s.schedule().orElse(null));
            List<Map<String, Object>> entities = new ArrayList<>();
            for (SourceDefinition.Mapping m : s.mappings().values()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("entity", m.entity().wireName());
                e.put("cursor_column", m.cursor());
                e.put("cursor", state.cursor(s.name(), m.entity().wireName()).map(SourceState.Cursor::value).orElse(null));
                entities.add(e);
            }
            item.put("entities", entities);
            item.put("last_run", state.runs(s.name(), 1).stream().findFirst().orElse(null));
            double lag = runs.lagSeconds(s.name());
            item.put("lag_seconds", Double.isNaN(lag) ? null : lag);
            item.put("failures_in_a_row", runs.failuresInARow(s.name()));
            if (s.capture().isPresent()) {
                item.put("capture", captures.status(s.name()));
            }
            items.add(item);
        }
        return Map.of("items", items, "refused", runs.catalog().refused());
    }

    @POST
    @Authenticated
    @Path("/sources/{name}/runs")
    @Operation(summary = "Start a run of a source: past each entity's cursor, or everything with full=true")
    @APIResponse(responseCode = "202", description = "Run started")
    @APIResponse(responseCode = "404", description = "No such source")
    @APIResponse(responseCode = "409", description = "A run of this source is in progress")
    public Response start(@PathParam("name") String name, @QueryParam("full") @DefaultValue("false") boolean full)
            throws SQLException, InterruptedException {
        // a full read of a captured source starts its capture again from a new slot (how a lost slot is recovered)
        long runId = full && runs.source(name).capture().isPresent() ? captures.reset(name) : runs.start(name, full);
        return Response.accepted(Map.of("run_id", runId, "status", "running",
                "links", Map.of("self", "/api/v1/source-runs/" + runId))).build();
    }

    @POST
    @Authenticated
    @Path("/sources/{name}/check")
    @Operation(summary = "Dry run: the first rows of each mapping as ShopFlow records, with what validation says; nothing loaded")
    @APIResponse(responseCode = "404", description = "No such source")
    public Map<String, Object> check(@PathParam("name") String name,
            @QueryParam("rows") @DefaultValue("5") @Pattern(regexp = "\\d{1,3}", message = ROWS_MESSAGE)
            @Min(value = 1, message = ROWS_MESSAGE) @Max(value = 100, message = ROWS_MESSAGE) String rows) {
        return runs.check(name, Integer.parseInt(rows));
    }

    @GET
    @Path("/source-runs")
    @Operation(summary = "Runs of sources, newest first")
    public Listing<SourceState.Run> list(@Context UriInfo uri, @QueryParam("source") String source,
            @QueryParam("limit") @DefaultValue("100") @Pattern(regexp = QueryLimits.DIGITS, message = QueryLimits.MESSAGE)
            @Min(value = 1, message = QueryLimits.MESSAGE) @Max(value = QueryLimits.MAX, message = QueryLimits.MESSAGE) String limit,
            @QueryParam("before") @Pattern(regexp = Listing.BEFORE, message = Listing.BEFORE_MESSAGE) String before)
            throws SQLException {
        int n = Integer.parseInt(limit);
        return Listing.of(state.runs(source, Listing.before(before), n), n, uri, SourceState.Run::runId);
    }

    @GET
    @Path("/source-runs/{run_id}")
    @Operation(summary = "A run: status, per entity the rows read, loaded and quarantined, batches, cursor before and after; errors")
    @APIResponse(responseCode = "404", description = "No such run")
    public SourceState.Run run(@PathParam("run_id") String runId) throws SQLException {
        try {
            return state.run(Long.parseLong(runId)).orElseThrow(() -> unknownRun(runId));
        } catch (NumberFormatException e) {
            throw unknownRun(runId);
        }
    }

    private static ProblemException unknownRun(String runId) {
        return new ProblemException(Problem.of(Response.Status.NOT_FOUND, "unknown-source-run", "No source run " + runId));
    }
}
