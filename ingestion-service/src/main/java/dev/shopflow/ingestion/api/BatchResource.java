package dev.shopflow.ingestion.api;

import dev.shopflow.common.api.Listing;
import dev.shopflow.common.api.QueryLimits;
import dev.shopflow.common.api.WireNameOf;
import dev.shopflow.common.wire.BatchReport;
import dev.shopflow.common.wire.BatchStatus;
import dev.shopflow.common.wire.Entity;
import dev.shopflow.ingestion.domain.BatchEntry;
import dev.shopflow.ingestion.service.BatchIngestionService;
import dev.shopflow.ingestion.service.BatchQueries;
import io.quarkus.security.Authenticated;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/api/v1/batches")
@Produces(MediaType.APPLICATION_JSON)
public class BatchResource {

    private final BatchIngestionService ingestion;
    private final BatchQueries queries;

    BatchResource(BatchIngestionService ingestion, BatchQueries queries) {
        this.ingestion = ingestion;
        this.queries = queries;
    }

    @POST
    @Authenticated
    @Path("/{entity}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Ingest a batch of records",
            description = "NDJSON (application/x-ndjson, one object per line) or CSV with a header (text/csv), "
                    + "UTF-8. Bad rows are quarantined with every reason; "
                    + "the same Idempotency-Key (default: SHA-256 of the body) with the same body returns the original "
                    + "report; with a different body it is refused (422), nothing loaded.")
    @APIResponse(responseCode = "201", description = "Batch loaded; the report")
    @APIResponse(responseCode = "200", description = "Already loaded with this idempotency key and body; the original report")
    @APIResponse(responseCode = "422", description = "This Idempotency-Key was used for another body (problem naming the key and its batch)")
    @APIResponse(responseCode = "404", description = "Unknown entity")
    @APIResponse(responseCode = "413", description = "Body over the configured limit")
    @APIResponse(responseCode = "415", description = "Unsupported media type")
    public Response ingest(
            @Parameter(description = "customers, products, orders, order_items or payments") @PathParam("entity") String entity,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            InputStream body) throws IOException, SQLException {
        BatchIngestionService.Outcome outcome = ingestion.ingest(entity, contentType, idempotencyKey, body);
        BatchReport report = outcome.report();
        return Response.status(outcome.created() ? Response.Status.CREATED : Response.Status.OK)
                .entity(Map.of("batch_id", report.batchId(), "entity", report.entity(), "received", report.received(),
                        "loaded", report.loaded(), "quarantined", report.quarantined(),
                        "unknown_fields", report.unknownFields(), "status", report.status(),
                        "links", Map.of("self", "/api/v1/batches/" + report.batchId())))
                .build();
    }

    @GET
    @Operation(summary = "List batches of the ledger, newest first")
    public Listing<BatchEntry> list(@Context UriInfo uri, @QueryParam("entity") @WireNameOf(Entity.class) String entity,
            @QueryParam("status") @WireNameOf(BatchStatus.class) String status,
            @QueryParam("limit") @DefaultValue("100") @Pattern(regexp = QueryLimits.DIGITS, message = QueryLimits.MESSAGE)
            @Min(value = 1, message = QueryLimits.MESSAGE) @Max(value = QueryLimits.MAX, message = QueryLimits.MESSAGE) String limit,
            @QueryParam("before") @Pattern(regexp = Listing.BEFORE, message = Listing.BEFORE_MESSAGE) String before) {
        int n = Integer.parseInt(limit);
        return Listing.of(queries.batches(entity, status, Listing.before(before), n), n, uri, BatchEntry::batchSeq);
    }

    @GET
    @Path("/{batch_id}")
    @Operation(summary = "One batch of the ledger")
    @APIResponse(responseCode = "404", description = "No such batch")
    public BatchEntry get(@PathParam("batch_id") String batchId) {
        return queries.batch(batchId);
    }
}
