package dev.shopflow.transform.api;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Max;
import dev.shopflow.common.api.WireNameOf;
import dev.shopflow.common.api.QueryLimits;
import dev.shopflow.common.api.Listing;

import dev.shopflow.common.problem.Problem;
import dev.shopflow.common.problem.ProblemException;
import dev.shopflow.common.wire.RunStatus;
import dev.shopflow.common.wire.TransformRunRequest;
import dev.shopflow.transform.domain.TransformRun;
import dev.shopflow.transform.service.TransformRunner;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import dev.shopflow.common.wire.DataBounds;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/api/v1/transform-runs")
@Produces(MediaType.APPLICATION_JSON)
public class TransformRunResource {

    private final TransformRunner runner;

    TransformRunResource(TransformRunner runner) {
        this.runner = runner;
    }

    @POST
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start a transform run",
            description = "Processes every loaded batch not yet transformed (incremental: only the dates and "
                    + "customers they touch), audits the new mart version and publishes it if no error check failed. "
                    + "{\"rebuild\":{\"from\":\"2025-01-01\",\"to\":\"2025-01-31\"}} also recomputes that range; "
                    + "{\"rebuild\":{}} rebuilds everything.")
    @APIResponse(responseCode = "202", description = "Run started")
    @APIResponse(responseCode = "409", description = "A run is already in progress (running_run_id)")
    public Response start(TransformRunRequest request) throws SQLException {
        TransformRunRequest.Range range = request == null ? null : request.rebuild();
        if (range != null && range.from() == null && range.to() != null) {
            throw invalid("rebuild.from", "is required when rebuild.to is given (an empty rebuild rebuilds everything)");
        }
        if (range != null && range.from() != null && range.to() != null && range.from().isAfter(range.to())) {
            throw invalid("rebuild.to", "must not be before rebuild.from");
        }
        // the dates a record can carry (ingestion's bounds): a range beyond them has nothing to rebuild,
        // and dates PostgreSQL cannot hold would fail the run itself (docs/contract.md section 2)
        Instant now = Instant.now();
        if (range != null && range.from() != null && !DataBounds.storable(range.from(), now)) {
            throw invalid("rebuild.from", outOfBounds(now));
        }
        if (range != null && range.to() != null && !DataBounds.storable(range.to(), now)) {
            throw invalid("rebuild.to", outOfBounds(now));
        }
        long runId = runner.start(request == null ? TransformRunRequest.incremental() : request);
        return Response.accepted(Map.of("run_id", runId, "status", RunStatus.RUNNING.wireName(),
                "links", Map.of("self", "/api/v1/transform-runs/" + runId))).build();
    }

    @GET
    @Operation(summary = "Runs newest first, with their steps, audit outcome and published version; next pages by before")
    public Listing<TransformRun> list(@Context UriInfo uri, @QueryParam("status") @WireNameOf(RunStatus.class) String status,
            @QueryParam("limit") @DefaultValue("20") @Pattern(regexp = QueryLimits.DIGITS, message = QueryLimits.MESSAGE)
            @Min(value = 1, message = QueryLimits.MESSAGE) @Max(value = QueryLimits.MAX, message = QueryLimits.MESSAGE) String limit,
            @QueryParam("before") @Pattern(regexp = Listing.BEFORE, message = Listing.BEFORE_MESSAGE) String before) {
        int n = Integer.parseInt(limit);
        return Listing.of(runner.runs(status, Listing.before(before), n), n, uri, TransformRun::runId);
    }

    @GET
    @Path("/{run_id}")
    @Operation(summary = "A run's status, steps with durations and row counts, audit outcome and published version")
    @APIResponse(responseCode = "404", description = "No such run")
    public TransformRun get(@PathParam("run_id") String runId) {
        return runner.run(runId);
    }

    private static String outOfBounds(Instant now) {
        return "must be a date from " + DataBounds.OLDEST_DATE + " to " + DataBounds.newestDate(now)
                + " (the dates a record can carry)";
    }

    private static ProblemException invalid(String field, String message) {
        return new ProblemException(Problem.validation(List.of(new Problem.FieldError(field, message))));
    }
}
