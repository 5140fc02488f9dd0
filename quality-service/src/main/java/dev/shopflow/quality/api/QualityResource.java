package dev.shopflow.quality.api;

import dev.shopflow.common.api.QueryLimits;
import dev.shopflow.common.problem.Problem;
import dev.shopflow.common.problem.ProblemException;
import dev.shopflow.common.wire.Audit;
import dev.shopflow.quality.domain.CheckDefinition;
import dev.shopflow.quality.domain.Layer;
import dev.shopflow.quality.domain.StoredResult;
import dev.shopflow.quality.service.CheckCatalog;
import dev.shopflow.quality.service.CheckRunService;
import io.quarkus.security.Authenticated;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class QualityResource {

    private final CheckCatalog catalog;
    private final CheckRunService runner;

    QualityResource(CheckCatalog catalog, CheckRunService runner) {
        this.catalog = catalog;
        this.runner = runner;
    }

    @GET
    @Path("/checks")
    @Operation(summary = "The declared checks")
    public Map<String, List<CheckDefinition>> checks() {
        return Map.of("items", catalog.all());
    }

    @POST
    @Authenticated
    @Path("/check-runs")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Run the checks of a layer on a scope, synchronously (the audit transform calls)")
    public Audit.CheckRunResult run(Audit.CheckRunRequest request) throws SQLException {
        if (request == null || request.layer() == null || Layer.fromWireName(request.layer()).isEmpty()) {
            throw new ProblemException(Problem.validation(List.of(
                    new Problem.FieldError("layer", "layer must be one of " + Layer.wireNames()))));
        }
        return runner.run(request.layer(), request.scope() == null ? Map.of() : request.scope());
    }

    @GET
    @Path("/check-runs/{run_id}")
    @Operation(summary = "A check run with its results")
    public Audit.CheckRunResult getRun(@PathParam("run_id") String runId) {
        return runner.storedRun(runId);
    }

    @GET
    @Path("/check-results")
    @Operation(summary = "Check results history, newest first, with failing-row samples")
    public Map<String, List<StoredResult>> results(
            @QueryParam("status") @Pattern(regexp = "passed|failed|error", message = "status must be passed, failed or error")
            String status,
            @QueryParam("check") String check,
            @QueryParam("limit") @DefaultValue("100") @Pattern(regexp = QueryLimits.DIGITS, message = QueryLimits.MESSAGE)
            @Min(value = 1, message = QueryLimits.MESSAGE) @Max(value = QueryLimits.MAX, message = QueryLimits.MESSAGE) String limit) {
        return Map.of("items", runner.history(status, check, Integer.parseInt(limit)));
    }
}
