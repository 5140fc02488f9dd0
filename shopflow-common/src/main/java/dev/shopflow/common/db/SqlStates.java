package dev.shopflow.common.db;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Optional;

/** What a database failure means for whoever retries: the one classification every service uses. */
public final class SqlStates {

    private SqlStates() {
    }

    /**
     * A database that is down, restarting, out of connections or that ended our session (SQLSTATE
     * classes 08, 53, 57P), a deadlock or serialization failure (40) or a lock timeout (55P03): the
     * same work can succeed later. Anything else fails the same way again on the same data.
     */
    public static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P") || state.startsWith("40")
                        || state.equals("55P03")) {
                    return true;
                }
            }
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
        }
        return false;
    }

    /**
     * A value PostgreSQL cannot take: a data exception (class 22: out of range, invalid text, bad
     * date) or a program limit (class 54: an index entry too large).
     */
    public static boolean isUnstorableValue(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("54"))) {
                return true;
            }
        }
        return false;
    }

    /** The SQLSTATE of the first SQLException in the cause chain. */
    public static Optional<String> state(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return Optional.of(sql.getSQLState());
            }
        }
        return Optional.empty();
    }
}
