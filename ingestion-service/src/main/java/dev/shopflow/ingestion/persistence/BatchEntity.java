package dev.shopflow.ingestion.persistence;

import dev.shopflow.common.wire.BatchStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Immutable;

/**
 * One row of the batch ledger {@code pipeline.batch} (migration V1), read with Hibernate. Never written
 * through it: a load writes its row with JDBC in the same transaction as its COPY and raw copy
 * (BatchLedger), and transform moves the status (its BatchClaims).
 */
@Entity
@Immutable
@Table(schema = "pipeline", name = "batch")
public class BatchEntity {

    @Id
    @Column(name = "batch_id")
    public UUID batchId;

    @Column(name = "batch_seq")
    public long batchSeq;

    public String entity;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    public BatchStatus status;

    public int received;

    public int loaded;

    public int quarantined;

    @Column(name = "unknown_fields")
    public int unknownFields;

    @Column(name = "content_type")
    public String contentType;

    @Column(name = "body_bytes")
    public long bodyBytes;

    @Column(name = "received_at")
    public Instant receivedAt;

    @Column(name = "loaded_at")
    public Instant loadedAt;

    @Column(name = "transform_run_id")
    public Long transformRunId;

    @Column(name = "published_version")
    public Long publishedVersion;
}
