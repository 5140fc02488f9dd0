package dev.shopflow.transform.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shopflow.common.wire.RunStatus;
import dev.shopflow.transform.domain.TransformRun.Step;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One row of {@code pipeline.transform_run} (migrations V1, V6): a run's status, steps and audit outcome. */
@Entity
@Table(schema = "pipeline", name = "transform_run")
public class TransformRunEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "run_id")
    public Long runId;

    /** incremental or rebuild */
    public String kind;

    public RunStatus status;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    public int batches;

    @Column(name = "built_version")
    public Long builtVersion;

    @Column(name = "published_version")
    public Long publishedVersion;

    /** The audit's outcome as the API shows it (written by the service's ObjectMapper). */
    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode audit;

    /** Replaced, never changed in place, so Hibernate sees the change. */
    @JdbcTypeCode(SqlTypes.JSON)
    public List<Step> steps = new ArrayList<>();

    public String error;

    @Column(name = "consecutive_failures")
    public Integer consecutiveFailures;

    @Column(name = "retry_after")
    public Instant retryAfter;
}
