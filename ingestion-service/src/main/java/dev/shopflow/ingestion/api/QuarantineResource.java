package dev.shopflow.ingestion.api;

import dev.shopflow.common.api.Limits;
import dev.shopflow.common.problem.Problem;
import dev.shopflow.common.problem.ProblemException;
import dev.shopflow.ingestion.persistence.QuarantineRepository;
import dev.shopflow.ingestion.service.BatchQueries;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
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
    public Map<String, List<QuarantineRepository.RejectedRow>> list(@QueryParam("entity") String entity,
            @QueryParam("batch_id") String batchId, @QueryParam("limit") String limit) throws SQLException {
        UUID batch = null;
        if (batchId != null) {
            try {
                batch = UUID.fromString(batchId);
            } catch (IllegalArgumentException e) {
                throw new ProblemException(Problem.validation(
                        List.of(new Problem.FieldError("batch_id", "batch_id must be a UUID"))));
            }
        }
        return Map.of("items", queries.rejectedRows(entity, batch, Limits.parse(limit, 100)));
    }
}
