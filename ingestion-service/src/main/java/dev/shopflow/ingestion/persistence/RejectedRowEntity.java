package dev.shopflow.ingestion.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A quarantined row, {@code quarantine.rejected_row}, read with Hibernate; loads write them by COPY (RowSink). */
@Entity
@Immutable
@Table(schema = "quarantine", name = "rejected_row")
public class RejectedRowEntity {

    @Id
    public long id;

    @Column(name = "batch_id")
    public UUID batchId;

    public String entity;

    @Column(name = "line_number")
    public int lineNumber;

    @Column(name = "original_line")
    public String originalLine;

    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode reasons;

    @Column(name = "received_at")
    public Instant receivedAt;
}
