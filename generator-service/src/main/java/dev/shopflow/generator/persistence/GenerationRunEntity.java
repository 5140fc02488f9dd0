package dev.shopflow.generator.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shopflow.common.wire.RunStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One row of {@code pipeline.generation_run} (migration V1): a run's parameters, status and progress. */
@Entity
@Table(schema = "pipeline", name = "generation_run")
public class GenerationRunEntity {

    @Id
    @Column(name = "run_id")
    public UUID runId;

    /** The run's parameters as the API shows them (snake_case, written by the service's ObjectMapper). */
    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode params;

    public RunStatus status;

    @Column(name = "days_total")
    public int daysTotal;

    @Column(name = "days_done")
    public int daysDone;

    @Column(name = "rows_pushed")
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Long> rowsPushed = Map.of();

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Integer> defects = Map.of();

    public String error;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "finished_at")
    public Instant finishedAt;
}
