package dev.shopflow.common.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SQL with named parameters ({@code :from}, used as often as needed) turned into a JDBC statement
 * with positional ones. Casts ({@code ::date}) are left alone.
 */
public final class NamedSql {

    private static final Pattern PARAMETER = Pattern.compile("(?<!:):([a-z_][a-z0-9_]*)");

    private final String named;
    private final Set<String> only;
    private final String sql;
    private final List<String> names;

    private NamedSql(String named, Set<String> only, String sql, List<String> names) {
        this.named = named;
        this.only = only;
        this.sql = sql;
        this.names = List.copyOf(names);
    }

    public static NamedSql of(String namedSql) {
        return of(namedSql, null);
    }

    /**
     * Only the given names become parameters; any other {@code :word} stays as written. For SQL a user
     * wrote (a check's custom SQL), where a colon may be part of the text.
     */
    public static NamedSql of(String namedSql, Set<String> only) {
        Set<String> kept = only == null ? null : Set.copyOf(only);
        List<String> names = new ArrayList<>();
        String sql = rewrite(namedSql, kept, name -> {
            names.add(name);
            return "?";
        });
        return new NamedSql(namedSql, kept, sql, names);
    }

    /** Replaces each parameter (a name in {@code only}, or any name when it is null) by what {@code replacement} makes of it. */
    private static String rewrite(String namedSql, Set<String> only, Function<String, String> replacement) {
        Matcher m = PARAMETER.matcher(namedSql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String text = only != null && !only.contains(m.group(1)) ? m.group() : replacement.apply(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(text));
        }
        return m.appendTail(out).toString();
    }

    /** The SQL of the first statement of a script resource (see {@link SqlScript}). */
    public static NamedSql load(String resource) {
        return of(SqlScript.load(resource).get(0));
    }

    public String sql() {
        return sql;
    }

    /** The parameter names in position order, a name once per occurrence. */
    public List<String> names() {
        return names;
    }

    /** The values in position order; a name without a value is a programming error. */
    public List<Object> values(Map<String, ?> values) {
        List<Object> ordered = new ArrayList<>(names.size());
        for (String name : names) {
            ordered.add(value(values, name));
        }
        return ordered;
    }

    /**
     * The SQL with every parameter written as the literal {@code literal} makes of its value, for the
     * statements PostgreSQL takes no parameters in (DDL, ANALYZE). Only for values the code made.
     */
    public String inline(Map<String, ?> values, Function<Object, String> literal) {
        return rewrite(named, only, name -> literal.apply(value(values, name)));
    }

    private static Object value(Map<String, ?> values, String name) {
        if (!values.containsKey(name)) {
            throw new IllegalArgumentException("no value for SQL parameter :" + name);
        }
        return values.get(name);
    }

    /** Binds every occurrence of every name; a name without a value is a programming error. */
    public void bind(PreparedStatement ps, Map<String, ?> values) throws SQLException {
        List<Object> ordered = values(values);
        for (int i = 0; i < ordered.size(); i++) {
            Object value = ordered.get(i);
            if (value == null) {
                ps.setNull(i + 1, Types.VARCHAR); // a typed null: the SQL casts it where it needs another type
            } else {
                ps.setObject(i + 1, value);
            }
        }
    }
}
