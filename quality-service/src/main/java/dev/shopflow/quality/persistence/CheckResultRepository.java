package dev.shopflow.quality.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopflow.common.db.JsonColumns;
import dev.shopflow.common.db.NamedSql;
import dev.shopflow.common.wire.Audit;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** Check runs and results history ({@code quality} schema). */
@ApplicationScoped
public class CheckResultRepository {

    public record StoredResult(long resultId, long runId, String check, String layer, String severity, String status,
            long failingRows, List<Map<String, Object>> sample, Map<String, Object> scope, Instant checkedAt) {
    }

    private static final TypeReference<List<Map<String, Object>>> ROWS = new TypeReference<>() { };
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private final DataSource dataSource;
    private final ObjectMapper mapper;

    CheckResultRepository(DataSource dataSource, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.mapper = mapper;
    }

    public long save(String layer, Map<String, Object> scope, String status, Instant started,
            List<Audit.CheckResult> results) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            long runId;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO quality.check_run (layer, scope, status, "
                    + "started_at, finished_at) VALUES (?, ?::jsonb, ?, ?, now()) RETURNING run_id")) {
                ps.setString(1, layer);
                ps.setString(2, JsonColumns.write(mapper, scope));
                ps.setString(3, status);
                ps.setTimestamp(4, Timestamp.from(started));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    runId = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO quality.check_result (run_id, check_name, layer, "
                    + "severity, status, failing_rows, sample, scope, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, "
                    + "?::jsonb, now())")) {
                for (Audit.CheckResult r : results) {
                    ps.setLong(1, runId);
                    ps.setString(2, r.check());
                    ps.setString(3, r.layer());
                    ps.setString(4, r.severity());
                    ps.setString(5, r.status());
                    ps.setLong(6, r.failingRows());
                    ps.setString(7, JsonColumns.write(mapper, r.sample()));
                    ps.setString(8, JsonColumns.write(mapper, scope));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
            return runId;
        }
    }

    public Optional<Audit.CheckRunResult> findRun(long runId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT layer, scope::text, status FROM quality.check_run WHERE run_id = ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                List<Audit.CheckResult> results = find(null, null, runId, 1000).stream()
                        .map(r -> new Audit.CheckResult(r.check(), r.layer(), r.severity(), r.status(), r.failingRows(),
                                r.sample())).toList();
                boolean passed = results.stream().noneMatch(r -> "failed".equals(r.status()) && "error".equals(r.severity()));
                return Optional.of(new Audit.CheckRunResult(runId, rs.getString(1), JsonColumns.read(mapper, rs.getString(2), MAP),
                        rs.getString(3), passed, results));
            }
        }
    }

    private static final NamedSql FIND = NamedSql.of("SELECT result_id, run_id, check_name, layer, severity, status, "
            + "failing_rows, sample::text, scope::text, checked_at FROM quality.check_result "
            + "WHERE (:status::text IS NULL OR status = :status::text) AND (:check::text IS NULL OR check_name = :check::text) "
            + "AND (:run_id::bigint IS NULL OR run_id = :run_id::bigint) ORDER BY result_id DESC LIMIT :limit");

    public List<StoredResult> find(String status, String check, Long runId, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(FIND.sql())) {
            Map<String, Object> values = new HashMap<>();
            values.put("status", status);
            values.put("check", check);
            values.put("run_id", runId);
            values.put("limit", limit);
            FIND.bind(ps, values);
            List<StoredResult> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredResult(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getLong(7), JsonColumns.read(mapper, rs.getString(8), ROWS),
                            JsonColumns.read(mapper, rs.getString(9), MAP), rs.getTimestamp(10).toInstant()));
                }
            }
            return out;
        }
    }
}
