package dev.shopflow.generator.api;

import dev.shopflow.common.problem.Problem;
import dev.shopflow.common.problem.ProblemException;
import dev.shopflow.common.wire.RunStatus;
import dev.shopflow.generator.domain.GenerationParams;
import dev.shopflow.generator.domain.GenerationRun;
import dev.shopflow.generator.service.GenerationService;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/api/v1/generation-runs")
@Produces(MediaType.APPLICATION_JSON)
public class GenerationRunResource {

    private final GenerationService generation;

    GenerationRunResource(GenerationService generation) {
        this.generation = generation;
    }

    @POST
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Generate shop data for a date range and push it to ingestion",
            description = "Same seed and parameters give the same records. With wait=true the call blocks until the "
                    + "run ends and answers 200, or a problem when the run failed.")
    @APIResponse(responseCode = "202", description = "Run started")
    @APIResponse(responseCode = "200", description = "wait=true: the run succeeded")
    @APIResponse(responseCode = "400", description = "Invalid parameters")
    public Response start(GenerationRunRequest request, @QueryParam("wait") boolean wait) throws Exception {
        GenerationParams params = GenerationRequests.validate(request);
        generation.checkMemory(params);
        GenerationService.Started started = generation.start(params);
        if (!wait) {
            return Response.accepted(body(started.runId(), RunStatus.QUEUED.wireName())).build();
        }
        started.done().join();
        GenerationRun run = generation.run(started.runId().toString());
        if (!RunStatus.SUCCEEDED.wireName().equals(run.status())) {
            throw new ProblemException(Problem.of(Response.Status.BAD_GATEWAY, "generation-failed",
                    "Generation run " + run.runId() + " failed: " + run.error())
                    .with(Map.of("run_id", run.runId().toString())));
        }
        return Response.ok(run).build();
    }

    @GET
    @Path("/{run_id}")
    @Operation(summary = "A run's status and progress (days done / total, rows pushed per entity)")
    @APIResponse(responseCode = "404", description = "No such run")
    public GenerationRun get(@PathParam("run_id") String runId) {
        return generation.run(runId);
    }

    private static Map<String, Object> body(UUID runId, String status) {
        return Map.of("run_id", runId, "status", status, "links", Map.of("self", "/api/v1/generation-runs/" + runId));
    }
}
