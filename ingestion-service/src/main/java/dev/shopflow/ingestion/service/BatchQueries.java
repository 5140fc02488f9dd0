package dev.shopflow.ingestion.service;

import dev.shopflow.common.problem.Problem;
import dev.shopflow.common.problem.ProblemException;
import dev.shopflow.ingestion.persistence.BatchEntry;
import dev.shopflow.ingestion.persistence.BatchLedger;
import dev.shopflow.ingestion.persistence.QuarantineRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/** The ledger's and the quarantine's reads, for the resources (which only speak HTTP). */
@ApplicationScoped
public class BatchQueries {

    private final BatchLedger ledger;
    private final QuarantineRepository quarantine;

    BatchQueries(BatchLedger ledger, QuarantineRepository quarantine) {
        this.ledger = ledger;
        this.quarantine = quarantine;
    }

    /** Batches newest first; entity and status already validated (null: any). */
    public List<BatchEntry> batches(String entity, String status, int limit) throws SQLException {
        return ledger.list(entity, status, limit);
    }

    /** One batch, or a 404 problem (also for an id that is not a UUID: no such batch either). */
    public BatchEntry batch(String batchId) throws SQLException {
        UUID id;
        try {
            id = UUID.fromString(batchId);
        } catch (IllegalArgumentException e) {
            throw unknown(batchId);
        }
        return ledger.find(id).orElseThrow(() -> unknown(batchId));
    }

    /** Rejected rows newest first (null: any entity or batch). */
    public List<QuarantineRepository.RejectedRow> rejectedRows(String entity, UUID batchId, int limit) throws SQLException {
        return quarantine.find(entity, batchId, limit);
    }

    private static ProblemException unknown(String batchId) {
        return new ProblemException(Problem.of(Response.Status.NOT_FOUND, "unknown-batch", "No batch " + batchId));
    }
}
