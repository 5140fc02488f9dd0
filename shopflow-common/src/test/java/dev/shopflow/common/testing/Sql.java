package dev.shopflow.common.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** The tests' way to set up and read the database directly: plain statements on a fresh connection. */
public final class Sql {

    private Sql() {
    }

    /** Runs each statement in order, each in its own auto-committed transaction. */
    public static void sql(DataSource dataSource, String... statements) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    /** The first column of the first row as text, or null when there is no row. */
    public static String one(DataSource dataSource, String query) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** The first column of the first row as the driver returns it, or null when there is no row. */
    public static Object value(DataSource dataSource, String query) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            return rs.next() ? rs.getObject(1) : null;
        }
    }

    /** A count (the first column of the first row), 0 when there is no row. */
    public static long count(DataSource dataSource, String query) throws SQLException {
        String value = one(dataSource, query);
        return value == null ? 0 : Long.parseLong(value);
    }
}
