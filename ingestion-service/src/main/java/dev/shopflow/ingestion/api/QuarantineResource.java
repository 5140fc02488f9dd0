package dev.shopflow.ingestion.api;

import dev.shopflow.common.api.QueryLimits;
import dev.shopflow.common.api.WireNameOf;
import dev.shopflow.common.wire.Entity;
import dev.shopflow.ingestion.domain.RejectedRow;
import dev.shopflow.ingestion.service.BatchQueries;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/quarantine")
@Produces(MediaType.APPLICATION_JSON)
public class QuarantineResource {

    private final BatchQueries queries;

    QuarantineResource(BatchQueries queries) {
        this.queries = queries;
    }

    @GET
    @Operation(summary = "Rejected rows with the original line and every reason, newest first")
    public Map<String, List<RejectedRow>> list(@QueryParam("entity") @WireNameOf(Entity.class) String entity,
            @QueryParam("batch_id") @Pattern(regexp = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
                    message = "batch_id must be a UUID") String batchId,
            @QueryParam("limit") @DefaultValue("100") @Pattern(regexp = QueryLimits.DIGITS, message = QueryLimits.MESSAGE)
            @Min(value = 1, message = QueryLimits.MESSAGE) @Max(value = QueryLimits.MAX, message = QueryLimits.MESSAGE) String limit) {
        return Map.of("items", queries.rejectedRows(entity, batchId == null ? null : UUID.fromString(batchId),
                Integer.parseInt(limit)));
    }
}
