package dev.shopflow.quality.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One row of {@code quality.check_result}: one check's outcome in a run, with a sample of its failing rows. */
@Entity
@Table(schema = "quality", name = "check_result")
public class CheckResultEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "result_id")
    public Long resultId;

    /** The run (quality.check_run); a plain column, results are only ever read by filters. */
    @Column(name = "run_id")
    public long runId;

    @Column(name = "check_name")
    public String checkName;

    public String layer;

    public String severity;

    /** passed, failed, or error (the check could not run; the reason is the sample). */
    public String status;

    @Column(name = "failing_rows")
    public long failingRows;

    @JdbcTypeCode(SqlTypes.JSON)
    public List<Map<String, Object>> sample;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> scope;

    @Column(name = "checked_at")
    public Instant checkedAt;
}
