package dev.shopflow.ingestion.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopflow.common.db.JsonColumns;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Sources' state in ShopFlow's database: the cursor per (source, entity), written on the connection
 * of the batch it covers so both commit together, and the runs ({@code pipeline.source_run}).
 */
@ApplicationScoped
public class SourceState {

    /** A cursor as stored: its kind (timestamp, number, text) and its value as text. */
    public record Cursor(String kind, String value) {
    }

    /** A run as stored; {@code entities} and {@code errors} are the jsonb columns. */
    public record Run(long runId, String source, boolean full, String status, Instant startedAt, Instant finishedAt,
            JsonNode entities, JsonNode errors) {
    }

    private final DataSource dataSource;
    private final ObjectMapper mapper;

    SourceState(DataSource dataSource, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.mapper = mapper;
    }

    public Optional<Cursor> cursor(String source, String entity) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT cursor_kind, cursor_value FROM pipeline.source_cursor WHERE source = ? AND entity = ?")) {
            ps.setString(1, source);
            ps.setString(2, entity);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Cursor(rs.getString(1), rs.getString(2))) : Optional.empty();
            }
        }
    }

    /** Moves the cursor forward (never back) on {@code c}, inside the transaction of the batch it covers. */
    public void advance(Connection c, String source, String entity, Cursor cursor) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO pipeline.source_cursor (source, entity, cursor_kind, "
                + "cursor_value, updated_at) VALUES (?, ?, ?, ?, now()) ON CONFLICT (source, entity) DO UPDATE SET "
                + "cursor_kind = EXCLUDED.cursor_kind, cursor_value = EXCLUDED.cursor_value, updated_at = now()")) {
            ps.setString(1, source);
            ps.setString(2, entity);
            ps.setString(3, cursor.kind());
            ps.setString(4, cursor.value());
            ps.executeUpdate();
        }
    }

    public long startRun(String source, boolean full) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO pipeline.source_run (source, full_read, status) "
                        + "VALUES (?, ?, 'running') RETURNING run_id")) {
            ps.setString(1, source);
            ps.setBoolean(2, full);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Records the progress (per entity) and, with a final status, the end. */
    public void updateRun(long runId, String status, Object entities, List<String> errors) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE pipeline.source_run SET status = ?, entities = ?::jsonb, "
                        + "errors = ?::jsonb, finished_at = CASE WHEN ? = 'running' THEN NULL ELSE now() END WHERE run_id = ?")) {
            ps.setString(1, status);
            ps.setString(2, JsonColumns.write(mapper, entities));
            ps.setString(3, JsonColumns.write(mapper, errors));
            ps.setString(4, status);
            ps.setLong(5, runId);
            ps.executeUpdate();
        }
    }

    /** Runs left 'running' by a process that died: they can never finish. */
    public int failAbandoned(String source) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE pipeline.source_run SET status = 'failed', finished_at = now(), "
                        + "errors = errors || '[\"abandoned: the process running it stopped\"]'::jsonb "
                        + "WHERE source = ? AND status = 'running'")) {
            ps.setString(1, source);
            return ps.executeUpdate();
        }
    }

    public Optional<Run> run(long runId) throws SQLException {
        List<Run> runs = runsWhere("WHERE run_id = ?", runId, 1);
        return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(0));
    }

    /** Newest first; {@code source} null for every source. */
    public List<Run> runs(String source, int limit) throws SQLException {
        return runs(source, null, limit);
    }

    /** Newest first, below run id {@code before} (null: from the newest); {@code source} null for every source. */
    public List<Run> runs(String source, Long before, int limit) throws SQLException {
        String where = source == null ? "WHERE run_id < ?" : "WHERE run_id < ? AND source = ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT run_id, source, full_read, status, started_at, finished_at, "
                        + "entities::text, errors::text FROM pipeline.source_run " + where + " ORDER BY run_id DESC LIMIT ?")) {
            ps.setLong(1, before == null ? Long.MAX_VALUE : before);
            int i = 2;
            if (source != null) {
                ps.setString(i++, source);
            }
            ps.setInt(i, limit);
            return read(ps);
        }
    }

    private List<Run> runsWhere(String where, Object parameter, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT run_id, source, full_read, status, started_at, finished_at, "
                        + "entities::text, errors::text FROM pipeline.source_run " + where + " ORDER BY run_id DESC LIMIT ?")) {
            int i = 1;
            if (parameter != null) {
                ps.setObject(i++, parameter);
            }
            ps.setInt(i, limit);
            return read(ps);
        }
    }

    private List<Run> read(PreparedStatement ps) throws SQLException {
        List<Run> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Timestamp finished = rs.getTimestamp(6);
                out.add(new Run(rs.getLong(1), rs.getString(2), rs.getBoolean(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant(), finished == null ? null : finished.toInstant(),
                        JsonColumns.read(mapper, rs.getString(7), JsonNode.class),
                        JsonColumns.read(mapper, rs.getString(8), JsonNode.class)));
            }
        }
        return out;
    }

    /** Holds the source's run lock across replicas on {@code c} (a session advisory lock); false when held elsewhere. */
    public static boolean tryLock(Connection c, String source) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(hashtextextended(?, 0))")) {
            ps.setString(1, "source:" + source);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    public static void unlock(Connection c, String source) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(hashtextextended(?, 0))")) {
            ps.setString(1, "source:" + source);
            ps.execute();
        }
    }
}
