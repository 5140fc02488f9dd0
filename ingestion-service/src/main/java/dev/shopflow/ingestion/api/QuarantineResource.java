package dev.shopflow.ingestion.api;

import dev.shopflow.common.api.Listing;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
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
    public Listing<RejectedRow> list(@Context UriInfo uri, @QueryParam("entity") @WireNameOf(Entity.class) String entity,
            @QueryParam("batch_id") @Pattern(regexp = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
                    message = "batch_id must be a UUID") String batchId,
            @QueryParam("limit") @DefaultValue("100") @Pattern(regexp = QueryLimits.DIGITS, message = QueryLimits.MESSAGE)
            @Min(value = 1, message = QueryLimits.MESSAGE) @Max(value = QueryLimits.MAX, message = QueryLimits.MESSAGE) String limit,
            @QueryParam("before") @Pattern(regexp = Listing.BEFORE, message = Listing.BEFORE_MESSAGE) String before) {
        int n = Integer.parseInt(limit);
        return Listing.of(queries.rejectedRows(entity, batchId == null ? null : UUID.fromString(batchId), Listing.before(before), n),
                n, uri, RejectedRow::id);
    }
}
