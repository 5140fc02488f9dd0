package dev.shopflow.transform.persistence;

import dev.shopflow.common.db.NamedSql;
import dev.shopflow.common.db.SqlScript;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import org.postgresql.PGStatement;

/**
 * The set-based SQL of a run. A run's scope (what its batches changed, or everything) drives the
 * dimensions, the facts and a new mart version written beside the published one; publishing is one
 * insert, discarding restores the published rows. See docs/transform.md.
 */
@ApplicationScoped
public class WarehouseBuilder {

    private static final List<String> CORE_VIEWS = SqlScript.load("sql/core_views.sql");
    private static final List<String> SCOPE_INCREMENTAL = SqlScript.load("sql/scope_incremental.sql");
    private static final List<String> SCOPE_FULL = SqlScript.load("sql/scope_full.sql");
    private static final List<String> DIMENSIONS = SqlScript.load("sql/dimensions.sql");
    private static final List<String> FACTS_INCREMENTAL = SqlScript.load("sql/facts_incremental.sql");
    private static final List<String> FACTS_FULL = SqlScript.load("sql/facts_full.sql");
    private static final List<String> MARTS_INCREMENTAL = SqlScript.load("sql/marts_incremental.sql");
    private static final List<String> MARTS_FULL_1 = SqlScript.load("sql/marts_full_1.sql");
    private static final List<String> MARTS_FULL_2 = SqlScript.load("sql/marts_full_2.sql");
    private static final List<String> MARTS_LIFETIME = SqlScript.load("sql/marts_lifetime.sql");
    public static final List<String> MART_TABLES = List.of("marts.mart_daily_sales", "marts.mart_daily_category_sales",
            "marts.mart_daily_channel_sales", "marts.mart_product_daily", "marts.mart_customer_daily",
            "marts.mart_payment_daily", "marts.mart_customer", "marts.mart_cohort", "marts.mart_product");
    static final long CURRENT = Long.MAX_VALUE;
    /** Statements PostgreSQL takes no parameters in: DDL (CREATE TEMP TABLE ... AS, partitions) and ANALYZE. */
    private static final Pattern TAKES_NO_PARAMETERS = Pattern.compile("(?i)(CREATE|ALTER|DROP|TRUNCATE|ANALYZE)\\b");

    /** What a run recomputes: everything, or what its batches changed plus an optional date range. */
    private final BatchClaims claims;

    WarehouseBuilder(BatchClaims claims) {
        this.claims = claims;
    }

    public record Scope(boolean full, LocalDate rebuildFrom, LocalDate rebuildTo) {

        public static Scope incremental() {
            return new Scope(false, null, null);
        }

        public static Scope everything() {
            return new Scope(true, null, null);
        }
    }

    /** Creates or replaces the core views (they read ingestion's staging tables, so not a migration). */
    public void createCoreViews(Connection c) throws SQLException {
        run(c, CORE_VIEWS, Map.of());
    }

    /**
     * True before the first build (or after a migration emptied the warehouse), and after a full build
     * that was not published: the run must be full.
     */
    public boolean needsFullBuild(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT (NOT EXISTS "
                + "(SELECT 1 FROM warehouse.dim_customer) AND NOT EXISTS (SELECT 1 FROM marts.mart_daily_sales)) "
                + "OR EXISTS (SELECT 1 FROM warehouse.unpublished_change WHERE full_build)")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** Fills the run's scope tables; returns the orders in scope. */
    public long scope(Connection c, long runId, Scope scope) throws SQLException {
        Map<String, Object> variables = new HashMap<>();
        variables.put("run", runId);
        variables.put("rebuild_from", scope.rebuildFrom());
        variables.put("rebuild_to", scope.rebuildTo());
        run(c, scope.full() ? SCOPE_FULL : SCOPE_INCREMENTAL, variables);
        return count(c, "SELECT count(*) FROM run_order");
    }

    /** Rebuilds the SCD2 rows of the customers and products in scope; returns the rows written. */
    public long buildDimensions(Connection c) throws SQLException {
        return run(c, DIMENSIONS, Map.of());
    }

    /** Replaces the order-line and payment facts in scope; returns the rows written and deleted. */
    public long buildFacts(Connection c, long runId, Scope scope) throws SQLException {
        return run(c, scope.full() ? FACTS_FULL : FACTS_INCREMENTAL, Map.of("run", runId));
    }

    /** The version this run's marts get, noted as unsettled in the build's transaction (see {@link #discardUnsettled}). */
    public long nextVersion(Connection c, long runId) throws SQLException {
        long version = count(c, "SELECT nextval('pipeline.mart_version_seq')");
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO pipeline.unsettled_version (version, run_id) VALUES (?, ?)")) {
            ps.setLong(1, version);
            ps.setLong(2, runId);
            ps.executeUpdate();
        }
        return version;
    }

    /**
     * Discards the mart rows of versions an earlier run built but neither published nor discarded (it
     * died between its build and its audit's outcome), newest first, so the marts are the published
     * version's again before this run applies the pending fact deltas, theirs included. Call under
     * the run lock, before {@link #nextVersion}.
     *
     * @return the versions discarded
     */
    public List<Long> discardUnsettled(Connection c) throws SQLException {
        List<Long> versions = new java.util.ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT version FROM pipeline.unsettled_version ORDER BY version DESC")) {
            while (rs.next()) {
                versions.add(rs.getLong(1));
            }
        }
        for (long version : versions) {
            discardRows(c, version);
        }
        return versions;
    }

    /**
     * Writes mart version {@code version} of an incremental run, in the build's transaction: the
     * pending deltas of the additive marts and the lifetime figures of the changed customers.
     */
    public long buildIncrementalMarts(Connection c, long version) throws SQLException {
        Map<String, Object> variables = martVariables(version, false);
        return run(c, MARTS_INCREMENTAL, variables) + run(c, MARTS_LIFETIME, variables);
    }

    /**
     * Writes mart version {@code version} of a full build in two halves at once, one on each
     * connection and each in its own transaction: the marts read only the warehouse, which the run
     * lock keeps still, so they need no shared snapshot, and the version stays unpublished (and, should
     * the run die, unsettled: the next run discards it) until the audit passes. Call after the build
     * transaction that wrote the facts and {@link #nextVersion} has committed.
     *
     * @return the rows written
     */
    public long buildFullMartsInParallel(Connection c, Connection second, long version, Executor executor)
            throws SQLException {
        Map<String, Object> variables = martVariables(version, true);
        CompletableFuture<Long> other = CompletableFuture.supplyAsync(() -> {
            try {
                return inTransaction(second, () -> run(second, MARTS_FULL_2, variables) + run(second, MARTS_LIFETIME, variables));
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        }, executor);
        long rows;
        try {
            rows = inTransaction(c, () -> run(c, MARTS_FULL_1, variables));
        } catch (SQLException | RuntimeException e) {
            other.handle((r, t) -> null).join(); // never leave the second half running on a connection being returned
            throw e;
        }
        try {
            return rows + other.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw e;
        }
    }

    private static Map<String, Object> martVariables(long version, boolean full) {
        return Map.of("version", version, "full", full);
    }

    private interface SqlWork {
        long run() throws SQLException;
    }

    private static long inTransaction(Connection c, SqlWork work) throws SQLException {
        c.setAutoCommit(false);
        try {
            long rows = work.run();
            c.commit();
            return rows;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /**
     * Everything a publish changes besides its published_version row, which the caller has inserted in
     * the same transaction (TransformRuns, through Hibernate): readers take the highest published
     * version, so that one insert switches them all at once. The run's batches become published, and
     * rows no kept version can see any more are deleted.
     */
    public void publish(Connection c, long version, long runId, int versionsKept) throws SQLException {
        claims.markPublished(c, runId, version);
        try (Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM warehouse.unpublished_change");
            st.executeUpdate("DELETE FROM warehouse.unpublished_fact_delta");
            st.executeUpdate("DELETE FROM pipeline.unsettled_version");
        }
        long oldestKept;
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(min(version), 0) FROM (SELECT version "
                + "FROM pipeline.published_version ORDER BY version DESC LIMIT ?) v")) {
            ps.setInt(1, versionsKept + 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                oldestKept = rs.getLong(1);
            }
        }
        for (String table : MART_TABLES) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE version_to <= ?")) {
                ps.setLong(1, oldestKept);
                ps.executeUpdate();
            }
        }
    }

    /** A version that failed its audit is never served: its rows go and the rows it closed are current again. */
    public void discard(Connection c, long version, long runId) throws SQLException {
        discardRows(c, version);
        claims.markAuditFailed(c, runId);
    }

    private static void discardRows(Connection c, long version) throws SQLException {
        for (String table : MART_TABLES) {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE version_from = ?");
                    PreparedStatement reopen = c.prepareStatement("UPDATE " + table + " SET version_to = ? WHERE version_to = ?")) {
                delete.setLong(1, version);
                delete.executeUpdate();
                reopen.setLong(1, CURRENT);
                reopen.setLong(2, version);
                reopen.executeUpdate();
            }
        }
        try (PreparedStatement settled = c.prepareStatement("DELETE FROM pipeline.unsettled_version WHERE version = ?")) {
            settled.setLong(1, version);
            settled.executeUpdate();
        }
    }

    /**
     * Runs a script's statements on the caller's connection. The run's variables ({@code :run},
     * {@code :version}, {@code :full}, {@code :rebuild_from}, {@code :rebuild_to}) are bound as JDBC
     * parameters through {@link NamedSql}, except in DDL and ANALYZE, which PostgreSQL cannot take
     * parameters in: there they are written as literals, which is safe because they are numbers, booleans
     * and dates the code made, never a client's text.
     */
    private static long run(Connection c, List<String> script, Map<String, Object> variables) throws SQLException {
        long rows = 0;
        try (Statement st = c.createStatement()) {
            for (String sql : script) {
                rows += execute(c, st, NamedSql.of(sql, variables.keySet()), variables);
            }
        }
        return rows;
    }

    /** Runs one statement; returns its row count (0 for a SELECT, e.g. one creating partitions). */
    private static long execute(Connection c, Statement st, NamedSql sql, Map<String, Object> variables)
            throws SQLException {
        if (sql.names().isEmpty() || TAKES_NO_PARAMETERS.matcher(sql.sql()).lookingAt()) {
            return rowCount(st, st.execute(sql.inline(variables, WarehouseBuilder::literal)));
        }
        try (PreparedStatement ps = c.prepareStatement(sql.sql())) {
            // planned with the values every time, as the literals were: a generic plan (pgjdbc makes a
            // statement server-side after 5 uses) could not fold (:full OR ...) away
            ps.unwrap(PGStatement.class).setPrepareThreshold(0);
            sql.bind(ps, variables);
            return rowCount(ps, ps.execute());
        }
    }

    private static long rowCount(Statement st, boolean returnedRows) throws SQLException {
        return returnedRows ? 0 : Math.max(0, st.getUpdateCount());
    }

    private static String literal(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof LocalDate d) {
            return "DATE '" + d + "'";
        }
        if (value instanceof Long || value instanceof Boolean) {
            return value.toString();
        }
        throw new IllegalArgumentException("no SQL literal for a " + value.getClass().getSimpleName());
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
