package dev.shopflow.transform.persistence;

import dev.shopflow.common.db.SqlScript;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The set-based SQL of a run: facts from staging, a new mart version beside the published one,
 * the ledger moves and the publish swap.
 */
@ApplicationScoped
public class WarehouseBuilder {

    private static final List<String> BUILD_DIMENSIONS = SqlScript.load("sql/build_dimensions.sql");
    private static final List<String> BUILD_FACTS = SqlScript.load("sql/build_facts.sql");
    private static final List<String> BUILD_MARTS = SqlScript.load("sql/build_marts.sql");
    private static final List<String> MART_TABLES = List.of("marts.mart_daily_sales", "marts.mart_daily_category_sales",
            "marts.mart_customer_daily", "marts.mart_customer_first_order");

    /** Batches this run takes: newly loaded ones and any a failed or unpublished run left behind. */
    public int claimBatches(Connection c, long runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE pipeline.batch SET transform_run_id = ? "
                + "WHERE status IN ('loaded', 'transformed', 'audit_failed')")) {
            ps.setLong(1, runId);
            return ps.executeUpdate();
        }
    }

    /** Rebuilds the SCD2 customer and product dimensions; returns their rows. */
    public long buildDimensions(Connection c) throws SQLException {
        return run(c, BUILD_DIMENSIONS);
    }

    public long buildFacts(Connection c) throws SQLException {
        return run(c, BUILD_FACTS);
    }

    private static long run(Connection c, List<String> script) throws SQLException {
        long rows = 0;
        try (Statement st = c.createStatement()) {
            for (String sql : script) {
                rows += Math.max(0, st.executeUpdate(sql));
            }
        }
        return rows;
    }

    public void markTransformed(Connection c, long runId) throws SQLException {
        setStatus(c, runId, "transformed", null);
    }

    public long nextVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT nextval('pipeline.mart_version_seq')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public long buildMarts(Connection c, long version) throws SQLException {
        long rows = 0;
        for (String sql : BUILD_MARTS) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, version);
                rows += ps.executeUpdate();
            }
        }
        return rows;
    }

    /** The swap: readers take the highest published version, so one insert switches them all at once. */
    public void publish(Connection c, long version, long runId, int versionsKept) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO pipeline.published_version (version, run_id, "
                + "published_at, watermark) SELECT ?, ?, now(), max(received_at) FROM pipeline.batch "
                + "WHERE status = 'published' OR transform_run_id = ?")) {
            ps.setLong(1, version);
            ps.setLong(2, runId);
            ps.setLong(3, runId);
            ps.executeUpdate();
        }
        setStatus(c, runId, "published", version);
        for (String table : MART_TABLES) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE version < ?")) {
                ps.setLong(1, version - versionsKept);
                ps.executeUpdate();
            }
        }
    }

    /** A version that failed its audit is never served; drop its rows. */
    public void discard(Connection c, long version, long runId) throws SQLException {
        for (String table : MART_TABLES) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE version = ?")) {
                ps.setLong(1, version);
                ps.executeUpdate();
            }
        }
        setStatus(c, runId, "audit_failed", null);
    }

    public boolean hasLoadedBatches(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM pipeline.batch WHERE status = 'loaded')")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static void setStatus(Connection c, long runId, String status, Long version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE pipeline.batch SET status = ?, "
                + "published_version = coalesce(?, published_version) WHERE transform_run_id = ?")) {
            ps.setString(1, status);
            ps.setObject(2, version);
            ps.setLong(3, runId);
            ps.executeUpdate();
        }
    }
}
