package dev.shopflow.generator.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopflow.common.db.JsonColumns;
import dev.shopflow.common.wire.RunStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** {@code pipeline.generation_run}: status and progress of generation runs. */
@ApplicationScoped
public class GenerationRunRepository {

    public record GenerationRun(UUID runId, String status, JsonNode params, int daysTotal, int daysDone,
            JsonNode rowsPushed, JsonNode defects, String error, Instant createdAt, Instant finishedAt) {
    }

    private final DataSource dataSource;
    private final ObjectMapper mapper;

    GenerationRunRepository(DataSource dataSource, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.mapper = mapper;
    }

    public void create(UUID runId, Object params, int daysTotal) throws SQLException {
        execute("INSERT INTO pipeline.generation_run (run_id, params, status, days_total, created_at) "
                + "VALUES (?, ?::jsonb, ?, ?, now())", runId, JsonColumns.write(mapper, params), RunStatus.QUEUED.wireName(),
                daysTotal);
    }

    public void running(UUID runId) throws SQLException {
        execute("UPDATE pipeline.generation_run SET status = ? WHERE run_id = ?", RunStatus.RUNNING.wireName(), runId);
    }

    public void progress(UUID runId, int daysDone, Map<String, Long> rows, Map<String, Integer> defects)
            throws SQLException {
        execute("UPDATE pipeline.generation_run SET days_done = ?, rows_pushed = ?::jsonb, defects = ?::jsonb "
                + "WHERE run_id = ?", daysDone, JsonColumns.write(mapper, rows), JsonColumns.write(mapper, defects), runId);
    }

    /** Ends a run: succeeded (error null) or failed. */
    public void finish(UUID runId, RunStatus status, String error) throws SQLException {
        execute("UPDATE pipeline.generation_run SET status = ?, error = ?, finished_at = now() WHERE run_id = ?",
                status.wireName(), error, runId);
    }

    public Optional<GenerationRun> find(UUID runId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT run_id, status, params::text, days_total, days_done, rows_pushed::text, defects::text, error, "
                        + "created_at, finished_at FROM pipeline.generation_run WHERE run_id = ?")) {
            ps.setObject(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new GenerationRun(rs.getObject(1, UUID.class), rs.getString(2),
                        JsonColumns.tree(mapper, rs.getString(3)), rs.getInt(4), rs.getInt(5),
                        JsonColumns.tree(mapper, rs.getString(6)), JsonColumns.tree(mapper, rs.getString(7)), rs.getString(8),
                        rs.getTimestamp(9).toInstant(),
                        rs.getTimestamp(10) == null ? null : rs.getTimestamp(10).toInstant()));
            }
        }
    }

    private void execute(String sql, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }
}
