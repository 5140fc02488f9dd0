package dev.shopflow.transform.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jboss.logging.Logger;

/**
 * One transform run at a time across every replica: a PostgreSQL advisory lock held by the session of
 * the connection the run keeps open. Not Citus-safe behind a transaction-pooling PgBouncer
 * (docs/scaling.md).
 */
public final class RunLock {

    private static final Logger LOG = Logger.getLogger(RunLock.class);
    /** "shopflow transform" */
    public static final long KEY = 0x5346_5452_414EL;

    private RunLock() {
    }

    /** Takes the lock on this connection's session if no other session holds it. */
    public static boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, KEY);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * The advisory lock belongs to the database session, and closing a pooled connection keeps the
     * session: unlock on every path, and if that fails, abort the connection so the pool drops it
     * and the session (with its lock) ends. A failed run once left the lock held by an idle pooled
     * connection, and every later start answered 409.
     */
    public static void release(Connection c) {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            ps.setLong(1, KEY);
            ps.execute();
        } catch (SQLException e) {
            LOG.warnf("Could not release the run lock (%s); dropping its connection", e.getMessage());
            try {
                c.abort(Runnable::run);
            } catch (SQLException ignored) {
                // the session is gone either way
            }
        }
    }
}
