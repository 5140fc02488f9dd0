package dev.shopflow.analytics.persistence;

import dev.shopflow.common.db.NamedSql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Reads KPIs from the published marts only (arrays come back as lists, dates as LocalDate). Each query is one statement in {@code sql/<name>.sql},
 * pinned to one mart version ({@code version_from <= :version AND version_to > :version}), so an
 * answer never mixes two versions.
 */
@ApplicationScoped
public class KpiRepository {

    private final DataSource dataSource;
    private final Map<String, NamedSql> queries = new ConcurrentHashMap<>();

    KpiRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<PublishedVersion> publishedVersion() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT version, watermark FROM pipeline.published_version ORDER BY version DESC LIMIT 1");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new PublishedVersion(rs.getLong(1),
                    rs.getTimestamp(2) == null ? null : rs.getTimestamp(2).toInstant()));
        }
    }

    /** Rows of query {@code name}, each a map from column label to value (dates as LocalDate). */
    public List<Map<String, Object>> rows(String name, Map<String, ?> parameters) throws SQLException {
        NamedSql query = queries.computeIfAbsent(name, n -> NamedSql.load("sql/" + n + ".sql"));
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(query.sql())) {
            query.bind(ps, parameters);
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        Object value = rs.getObject(i);
                        if (value instanceof Date d) {
                            value = d.toLocalDate();
                        } else if (value instanceof java.sql.Array a) {
                            value = List.of((Object[]) a.getArray());
                        }
                        row.put(md.getColumnLabel(i), value);
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    /** Streams the rows of one query into a handler. */
    @FunctionalInterface
    public interface RowHandler {
        void row(ResultSet rs) throws SQLException;
    }

    /** Queries run in one snapshot. */
    @FunctionalInterface
    public interface Snapshot {
        void each(String name, Map<String, ?> parameters, RowHandler handler) throws SQLException;
    }

    @FunctionalInterface
    public interface SnapshotWork<T> {
        T run(Snapshot snapshot) throws SQLException;
    }

    /**
     * Runs {@code work} in one read-only REPEATABLE READ transaction, so every query it streams sees
     * the same snapshot; rows come in chunks (a cursor), not all at once.
     */
    public <T> T inSnapshot(SnapshotWork<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            int isolation = c.getTransactionIsolation();
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                T result = work.run((name, parameters, handler) -> {
                    NamedSql query = queries.computeIfAbsent(name, n -> NamedSql.load("sql/" + n + ".sql"));
                    try (PreparedStatement ps = c.prepareStatement(query.sql())) {
                        ps.setFetchSize(10_000);
                        query.bind(ps, parameters);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                handler.row(rs);
                            }
                        }
                    }
                });
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
                c.setTransactionIsolation(isolation);
            }
        }
    }
}
