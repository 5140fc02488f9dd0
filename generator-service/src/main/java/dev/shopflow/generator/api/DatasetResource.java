package dev.shopflow.generator.api;

import dev.shopflow.common.wire.Entity;
import dev.shopflow.generator.domain.GenerationParams;
import dev.shopflow.generator.domain.ShopGenerator;
import dev.shopflow.generator.service.CsvDataset;
import dev.shopflow.generator.service.GenerationMemory;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/api/v1/datasets")
public class DatasetResource {

    private final GenerationMemory memory;

    DatasetResource(GenerationMemory memory) {
        this.memory = memory;
    }

    @GET
    @Path("/{entity}")
    @Produces("text/csv")
    @Operation(summary = "The records a generation run would push, as a CSV file",
            description = "Same parameters as a generation run (from required; to, seed, orders_per_day, defect_rate "
                    + "optional): the same records, byte for byte, streamed day by day.")
    @APIResponse(responseCode = "200", description = "CSV with a header")
    @APIResponse(responseCode = "400", description = "Invalid parameters, or a busiest day too large for the generator's heap")
    @APIResponse(responseCode = "429", description = "Other generations hold the generator's memory; Retry-After")
    @APIResponse(responseCode = "404", description = "Unknown entity")
    public Response dataset(@PathParam("entity") String entityName, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("seed") String seed,
            @QueryParam("orders_per_day") String ordersPerDay, @QueryParam("defect_rate") String defectRate) {
        Entity entity = Entity.ofPath(entityName);
        GenerationParams params = GenerationRequests.fromQuery(from, to, seed, ordersPerDay, defectRate);
        memory.check(params);
        GenerationMemory.Permit permit = memory.reserveOrRefuse(params);
        StreamingOutput body = out -> {
            try (permit) {
                var writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
                CsvDataset.write(new ShopGenerator(params), entity, params.from(), params.to(), writer);
                writer.flush();
            }
        };
        return Response.ok(body, "text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + entity.wireName() + "-" + params.from() + "-"
                        + params.to() + ".csv\"")
                .build();
    }
}
