package dev.shopflow.transform.persistence;

import dev.shopflow.common.wire.BatchStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Transform's side of the batch ledger (pipeline.batch, owned by ingestion): a run claims the batches
 * it builds from, then moves them along as its version is built, published or refused by the audit.
 * The one write across owners (ingestion's migration V3 grants exactly these columns). Every method
 * runs on the caller's connection, inside the caller's transaction.
 */
@ApplicationScoped
public class BatchClaims {

    /** Order lines a run must claim, at least, before {@link #claimsMostOrderLines} makes it a full build. */
    static final long FULL_BUILD_MIN_LINES = 100_000;

    /**
     * Takes the batches this run builds from: newly loaded ones and any a failed or unpublished run
     * left behind.
     *
     * @return the claimed batches as "batch id (entity)", so a failed run can say which data it was given
     */
    public List<String> claim(Connection c, long runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE pipeline.batch SET transform_run_id = ? "
                + "WHERE status IN (?, ?, ?) RETURNING batch_id, entity")) {
            ps.setLong(1, runId);
            ps.setString(2, BatchStatus.LOADED.wireName());
            ps.setString(3, BatchStatus.TRANSFORMED.wireName());
            ps.setString(4, BatchStatus.AUDIT_FAILED.wireName());
            List<String> claimed = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    claimed.add(rs.getString(1) + " (" + rs.getString(2) + ")");
                }
            }
            return claimed;
        }
    }

    /**
     * True when this run's batches bring at least half of all order lines ever loaded, and at least
     * {@link #FULL_BUILD_MIN_LINES}: a first large load or a big backfill. Resolving those one by one
     * costs several times a full build (at 10M lines an incremental run over the first load took 4 to
     * 6 minutes where the full build takes about one), so the run builds everything instead. Counts
     * come from the ledger.
     */
    public boolean claimsMostOrderLines(Connection c, long runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum(loaded) FILTER (WHERE transform_run_id = ?), 0), "
                + "coalesce(sum(loaded), 0) FROM pipeline.batch WHERE entity = 'order_items'")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long claimed = rs.getLong(1);
                return claimed >= FULL_BUILD_MIN_LINES && claimed * 2 >= rs.getLong(2);
            }
        }
    }

    /** Whether batches wait for a run (the chained run and the sweep ask). */
    public boolean hasLoadedBatches(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT EXISTS (SELECT 1 FROM pipeline.batch WHERE status = '" + BatchStatus.LOADED.wireName() + "')")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    public void markTransformed(Connection c, long runId) throws SQLException {
        setStatus(c, runId, BatchStatus.TRANSFORMED, null);
    }

    /**
     * Receive time of the newest batch a version built by {@code runId} includes (the batches published
     * before it and those it claimed); empty when there are none.
     */
    public Optional<Instant> watermark(Connection c, long runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT max(received_at) FROM pipeline.batch "
                + "WHERE status = ? OR transform_run_id = ?")) {
            ps.setString(1, BatchStatus.PUBLISHED.wireName());
            ps.setLong(2, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Optional.ofNullable(rs.getObject(1, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
            }
        }
    }

    public void markPublished(Connection c, long runId, long version) throws SQLException {
        setStatus(c, runId, BatchStatus.PUBLISHED, version);
    }

    public void markAuditFailed(Connection c, long runId) throws SQLException {
        setStatus(c, runId, BatchStatus.AUDIT_FAILED, null);
    }

    private static void setStatus(Connection c, long runId, BatchStatus status, Long version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE pipeline.batch SET status = ?, "
                + "published_version = coalesce(?, published_version) WHERE transform_run_id = ?")) {
            ps.setString(1, status.wireName());
            ps.setObject(2, version);
            ps.setLong(3, runId);
            ps.executeUpdate();
        }
    }
}
