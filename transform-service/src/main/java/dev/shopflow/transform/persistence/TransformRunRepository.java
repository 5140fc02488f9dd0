package dev.shopflow.transform.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopflow.common.db.JsonColumns;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/** {@code pipeline.transform_run}: a run's status, steps and audit outcome. */
@ApplicationScoped
public class TransformRunRepository {

    public record Step(String step, long durationMs, long rows) {
    }

    /** The last finished run failed: automatic runs wait until {@code retryAfter}. */
    public record Backoff(long runId, int consecutiveFailures, Instant retryAfter, String error) {
    }

    public record TransformRun(long runId, String kind, String status, Instant startedAt, Instant finishedAt,
            int batches, Long builtVersion, Long publishedVersion, JsonNode audit, JsonNode steps, String error,
            Integer consecutiveFailures, Instant retryAfter) {
    }

    private final DataSource dataSource;
    private final ObjectMapper mapper;

    TransformRunRepository(DataSource dataSource, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.mapper = mapper;
    }

    public long create(Connection c, String kind) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO pipeline.transform_run (kind, status, started_at) "
                + "VALUES (?, 'running', now()) RETURNING run_id")) {
            ps.setString(1, kind);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public void addStep(long runId, Step step) throws SQLException {
        update("UPDATE pipeline.transform_run SET steps = steps || ?::jsonb WHERE run_id = ?", JsonColumns.write(mapper, step), runId);
    }

    public void setBatches(long runId, int batches, long builtVersion) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE pipeline.transform_run SET batches = ?, built_version = ? WHERE run_id = ?")) {
            ps.setInt(1, batches);
            ps.setLong(2, builtVersion);
            ps.setLong(3, runId);
            ps.executeUpdate();
        }
    }

    public void finish(Connection c, long runId, String status, Long publishedVersion, Object audit, String error)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE pipeline.transform_run SET status = ?, finished_at = now(), "
                + "published_version = ?, audit = ?::jsonb, error = ? WHERE run_id = ?")) {
            ps.setString(1, status);
            ps.setObject(2, publishedVersion);
            ps.setString(3, audit == null ? null : JsonColumns.write(mapper, audit));
            ps.setString(4, error);
            ps.setLong(5, runId);
            ps.executeUpdate();
        }
    }

    /**
     * Ends a run as failed, counting the failures in a row (an abandoned run counts as one) and setting
     * when automatic runs may start again: {@code initial} doubled per failure in a row, at most {@code max}.
     *
     * @return the failures in a row, this one included
     */
    public int finishFailed(Connection c, long runId, String error, java.time.Duration initial, java.time.Duration max)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                WITH previous AS (
                    SELECT coalesce((SELECT CASE WHEN status = 'failed' THEN coalesce(consecutive_failures, 1) ELSE 0 END
                                     FROM pipeline.transform_run WHERE run_id < ? AND status <> 'running'
                                     ORDER BY run_id DESC LIMIT 1), 0) AS n)
                UPDATE pipeline.transform_run t SET status = 'failed', finished_at = now(), error = ?,
                       consecutive_failures = previous.n + 1,
                       retry_after = now() + least(make_interval(secs => ?), make_interval(secs => ? * power(2, least(previous.n, 30))))
                FROM previous WHERE t.run_id = ? RETURNING t.consecutive_failures""")) {
            ps.setLong(1, runId);
            ps.setString(2, error);
            ps.setDouble(3, max.toMillis() / 1000.0);
            ps.setDouble(4, initial.toMillis() / 1000.0);
            ps.setLong(5, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 1;
            }
        }
    }

    /** Present while the last finished run failed and its back-off has not run out. */
    public Optional<Backoff> activeBackoff() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT run_id, consecutive_failures, retry_after, error FROM (
                    SELECT * FROM pipeline.transform_run WHERE status <> 'running' ORDER BY run_id DESC LIMIT 1) last
                WHERE status = 'failed' AND retry_after > now()""");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new Backoff(rs.getLong(1), rs.getInt(2), rs.getTimestamp(3).toInstant(), rs.getString(4)));
        }
    }

    /** Failed runs in a row up to the last finished run (0 when it did not fail). */
    public int consecutiveFailures() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT CASE WHEN status = 'failed' THEN coalesce(consecutive_failures, 1) ELSE 0 END
                FROM pipeline.transform_run WHERE status <> 'running' ORDER BY run_id DESC LIMIT 1""");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /** Runs left 'running' by a process that died can never finish: close them when the lock is ours. */
    public void failAbandoned(Connection c, long currentRunId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE pipeline.transform_run SET status = 'failed', "
                + "finished_at = now(), error = 'abandoned: the process running it stopped' "
                + "WHERE status = 'running' AND run_id <> ?")) {
            ps.setLong(1, currentRunId);
            ps.executeUpdate();
        }
    }

    public Optional<Long> runningRunId() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT max(run_id) FROM pipeline.transform_run WHERE status = 'running'");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return Optional.ofNullable(rs.getObject(1, Long.class));
        }
    }

    public Optional<TransformRun> find(long runId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT run_id, kind, status, started_at, finished_at, batches, built_version, published_version, "
                        + "audit::text, steps::text, error, consecutive_failures, retry_after "
                        + "FROM pipeline.transform_run WHERE run_id = ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new TransformRun(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant(),
                        rs.getTimestamp(5) == null ? null : rs.getTimestamp(5).toInstant(), rs.getInt(6),
                        rs.getObject(7, Long.class), rs.getObject(8, Long.class), JsonColumns.tree(mapper, rs.getString(9)),
                        JsonColumns.tree(mapper, rs.getString(10)), rs.getString(11), rs.getObject(12, Integer.class),
                        rs.getTimestamp(13) == null ? null : rs.getTimestamp(13).toInstant()));
            }
        }
    }

    private void update(String sql, String json, long runId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, json);
            ps.setLong(2, runId);
            ps.executeUpdate();
        }
    }
}
