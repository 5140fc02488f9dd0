package dev.shopflow.ingestion.service;

import dev.shopflow.common.problem.Problem;
import dev.shopflow.common.problem.ProblemException;
import dev.shopflow.common.wire.BatchStatus;
import dev.shopflow.ingestion.domain.BatchEntry;
import dev.shopflow.ingestion.domain.RejectedRow;
import dev.shopflow.ingestion.persistence.BatchEntity;
import dev.shopflow.ingestion.persistence.BatchRepository;
import dev.shopflow.ingestion.persistence.QuarantineRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;

/** The ledger's and the quarantine's reads, for the resources (which only speak HTTP). */
@ApplicationScoped
@Transactional
public class BatchQueries {

    private final BatchRepository ledger;
    private final QuarantineRepository quarantine;

    BatchQueries(BatchRepository ledger, QuarantineRepository quarantine) {
        this.ledger = ledger;
        this.quarantine = quarantine;
    }

    /** Batches newest first; entity and status already validated (null: any). */
    public List<BatchEntry> batches(String entity, String status, Long before, int limit) {
        BatchStatus wanted = status == null ? null : BatchStatus.fromWireName(status).orElseThrow();
        return ledger.newest(entity, wanted, before, limit).stream().map(BatchQueries::entry).toList();
    }

    /** One batch, or a 404 problem (also for an id that is not a UUID: no such batch either). */
    public BatchEntry batch(String batchId) {
        UUID id;
        try {
            id = UUID.fromString(batchId);
        } catch (IllegalArgumentException e) {
            throw unknown(batchId);
        }
        return ledger.findByIdOptional(id).map(BatchQueries::entry).orElseThrow(() -> unknown(batchId));
    }

    /** Rejected rows newest first (null: any entity or batch). */
    public List<RejectedRow> rejectedRows(String entity, UUID batchId, Long before, int limit) {
        return quarantine.newest(entity, batchId, before, limit).stream()
                .map(r -> new RejectedRow(r.id, r.batchId, r.entity, r.lineNumber, r.originalLine, r.reasons, r.receivedAt))
                .toList();
    }

    private static BatchEntry entry(BatchEntity b) {
        return new BatchEntry(b.batchId, b.batchSeq, b.entity, b.idempotencyKey, b.status.wireName(), b.received, b.loaded,
                b.quarantined, b.unknownFields, b.contentType, b.bodyBytes, b.receivedAt, b.loadedAt, b.transformRunId,
                b.publishedVersion);
    }

    private static ProblemException unknown(String batchId) {
        return new ProblemException(Problem.of(Response.Status.NOT_FOUND, "unknown-batch", "No batch " + batchId));
    }
}
