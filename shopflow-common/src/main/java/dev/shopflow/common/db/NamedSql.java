package dev.shopflow.common.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SQL with named parameters ({@code :from}, used as often as needed) turned into a JDBC statement
 * with positional ones. Casts ({@code ::date}) are left alone.
 */
public final class NamedSql {

    private static final Pattern PARAMETER = Pattern.compile("(?<!:):([a-z_][a-z0-9_]*)");

    private final String sql;
    private final List<String> names;

    private NamedSql(String sql, List<String> names) {
        this.sql = sql;
        this.names = List.copyOf(names);
    }

    public static NamedSql of(String namedSql) {
        Matcher m = PARAMETER.matcher(namedSql);
        StringBuilder out = new StringBuilder();
        List<String> names = new ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
            m.appendReplacement(out, "?");
        }
        m.appendTail(out);
        return new NamedSql(out.toString(), names);
    }

    /** The SQL of the first statement of a script resource (see {@link SqlScript}). */
    public static NamedSql load(String resource) {
        return of(SqlScript.load(resource).get(0));
    }

    public String sql() {
        return sql;
    }

    /** Binds every occurrence of every name; a name without a value is a programming error. */
    public void bind(PreparedStatement ps, Map<String, ?> values) throws SQLException {
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException("no value for SQL parameter :" + name);
            }
            Object value = values.get(name);
            if (value == null) {
                ps.setNull(i + 1, Types.VARCHAR); // a typed null: the SQL casts it where it needs another type
            } else {
                ps.setObject(i + 1, value);
            }
        }
    }
}
