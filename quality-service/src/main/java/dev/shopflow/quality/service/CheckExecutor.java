package dev.shopflow.quality.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopflow.common.wire.Audit;
import dev.shopflow.quality.domain.CheckDefinition;
import dev.shopflow.quality.domain.CheckSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one compiled check on a connection: the failing-row count, and a sample when it fails. A
 * check that cannot run (bad SQL, missing table, no version in scope) is a result with status
 * {@code error} and the reason in its sample, never an exception: an error-severity check that
 * cannot be verified blocks a publish like one that fails.
 */
public final class CheckExecutor {

    private static final TypeReference<Map<String, Object>> ROW = new TypeReference<>() { };

    private final ObjectMapper mapper;

    public CheckExecutor(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Runs on an autocommit connection, so a failing statement does not affect the next check. */
    public Audit.CheckResult execute(Connection c, CheckDefinition check, Long version) {
        try {
            CheckSql sql = CheckSql.compile(check, version);
            long failing;
            try (PreparedStatement ps = c.prepareStatement(sql.countSql())) {
                bind(c, ps, sql.parameters());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    failing = rs.getLong(1);
                }
            }
            List<Map<String, Object>> sample = new ArrayList<>();
            if (failing > 0) {
                try (PreparedStatement ps = c.prepareStatement(sql.sampleSql())) {
                    bind(c, ps, sql.parameters());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            sample.add(mapper.readValue(rs.getString(1), ROW));
                        }
                    }
                }
            }
            return new Audit.CheckResult(check.name(), check.layer(), check.severity(),
                    failing == 0 ? "passed" : "failed", failing, sample);
        } catch (SQLException | CheckSql.NotApplicable | JsonProcessingException e) {
            return new Audit.CheckResult(check.name(), check.layer(), check.severity(), "error", 0,
                    List.of(Map.of("error", String.valueOf(e.getMessage()))));
        }
    }

    private static void bind(Connection c, PreparedStatement ps, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            Object p = parameters.get(i);
            if (p instanceof String[] values) {
                ps.setArray(i + 1, c.createArrayOf("text", values));
            } else {
                ps.setObject(i + 1, p);
            }
        }
    }
}
