package dev.shopflow.quality.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One row of {@code quality.check_run}: the checks of a layer run once on a scope. */
@Entity
@Table(schema = "quality", name = "check_run")
public class CheckRunEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "run_id")
    public Long runId;

    public String layer;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> scope;

    /** passed, or failed when any check did not pass (a warn check too). */
    public String status;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;
}
