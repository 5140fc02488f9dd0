package dev.shopflow.quality.domain;

import dev.shopflow.common.db.NamedSql;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A check compiled to one set-based query returning its failing rows, wrapped twice: to count
 * them and to sample up to 20 as JSON. Kinds that judge an aggregate (row_count, freshness,
 * volume_anomaly, reconciliation) return one row describing the failure, or none.
 *
 * <p>Identifiers were validated when the file was read and numbers are typed, so they are written
 * into the SQL; text values (accepted values, patterns) and the scope's version are named parameters
 * ({@code :accepted_values}, {@code :pattern}, {@code :version}), turned into positional ones by
 * {@link NamedSql} like every other statement with parameters; {@link #parameters()} is their order. In
 * custom and reconciliation SQL, {@code :version} stands for the version in scope, and only that name is
 * a parameter: other colons in a user's SQL stay as written.
 */
public record CheckSql(String countSql, String sampleSql, List<Object> parameters) {

    public static final int SAMPLE_SIZE = 20;
    private static final Set<String> USER_SQL_PARAMETERS = Set.of("version");

    /** Thrown when a check cannot be compiled for this scope (e.g. it needs a version and none was given). */
    public static class NotApplicable extends RuntimeException {
        public NotApplicable(String message) {
            super(message);
        }
    }

    public static CheckSql compile(CheckDefinition check, Long version) {
        Map<String, Object> params = new HashMap<>();
        if (check.isVersioned() && version == null) {
            throw new NotApplicable("check " + check.name() + " is versioned but the run has no version in its scope");
        }
        if (version != null) {
            params.put("version", version);
        }
        String failing = failingRows(check, version, params);
        NamedSql count = NamedSql.of("SELECT count(*) FROM (" + failing + ") f", params.keySet());
        NamedSql sample = NamedSql.of("SELECT row_to_json(f)::text FROM (" + failing + " LIMIT " + SAMPLE_SIZE + ") f",
                params.keySet());
        // the sample adds no parameter: both statements take the same values in the same order
        return new CheckSql(count.sql(), sample.sql(), Collections.unmodifiableList(count.values(params)));
    }

    private static String failingRows(CheckDefinition c, Long version, Map<String, Object> params) {
        String t = c.table();
        return switch (c.kind()) {
            case "not_null" -> "SELECT * FROM " + t + " t WHERE ("
                    + c.columns().stream().map(col -> "t." + col + " IS NULL").collect(Collectors.joining(" OR "))
                    + ")" + versionFilter(c);
            case "unique" -> {
                String cols = c.columns().stream().map(col -> "t." + col).collect(Collectors.joining(", "));
                yield "SELECT " + cols + ", count(*) AS occurrences FROM " + t + " t WHERE true"
                        + versionFilter(c) + " GROUP BY " + cols + " HAVING count(*) > 1";
            }
            case "accepted_values" -> {
                params.put("accepted_values", c.values().toArray(String[]::new));
                yield "SELECT * FROM " + t + " t WHERE t." + c.column() + " IS NOT NULL AND t." + c.column()
                        + "::text <> ALL (:accepted_values)" + versionFilter(c);
            }
            case "relationships" -> {
                String toColumn = c.toColumn() != null ? c.toColumn() : c.column();
                Duration grace = Durations.parse(c.grace());
                yield "SELECT * FROM " + t + " t WHERE t." + c.column() + " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                        + c.to() + " r WHERE r." + toColumn + " = t." + c.column() + ")"
                        + (grace == null ? "" : " AND " + arrival(c) + " < now() - interval '" + grace.toSeconds()
                                + " seconds'")
                        + versionFilter(c);
            }
            case "range" -> "SELECT * FROM " + t + " t WHERE ("
                    + (c.min() != null ? "t." + c.column() + " < " + c.min().toPlainString() : "false")
                    + (c.max() != null ? " OR t." + c.column() + " > " + c.max().toPlainString() : "")
                    + ")" + versionFilter(c);
            case "pattern" -> {
                params.put("pattern", c.regex());
                yield "SELECT * FROM " + t + " t WHERE t." + c.column() + " IS NOT NULL AND t." + c.column()
                        + "::text !~ :pattern" + versionFilter(c);
            }
            case "row_count" -> "SELECT n AS row_count FROM (SELECT count(*) AS n FROM " + t + " t WHERE true"
                    + versionFilter(c) + ") c WHERE "
                    + (c.minRows() != null ? "n < " + c.minRows() : "false")
                    + (c.maxRows() != null ? " OR n > " + c.maxRows() : "");
            case "freshness" -> "SELECT latest, floor(extract(epoch FROM now() - latest))::bigint AS age_seconds FROM "
                    + "(SELECT max(t." + c.timestampColumn() + ") AS latest FROM " + t + " t WHERE true"
                    + versionFilter(c) + ") m WHERE latest IS NULL OR latest < now() - interval '"
                    + Durations.parse(c.maxAge()).toSeconds() + " seconds'";
            case "volume_anomaly" -> volumeAnomaly(c);
            case "reconciliation" -> "SELECT left_value, right_value, abs(coalesce(left_value, 0) - coalesce(right_value, 0))"
                    + " AS difference FROM (SELECT (" + userSql(c.leftSql(), version) + ") AS left_value, ("
                    + userSql(c.rightSql(), version) + ") AS right_value) x "
                    + "WHERE abs(coalesce(left_value, 0) - coalesce(right_value, 0)) > "
                    + (c.tolerance() == null ? "0" : c.tolerance().toPlainString())
                    + " OR (left_value IS NULL) <> (right_value IS NULL)";
            case "custom_sql" -> userSql(c.sql(), version);
            default -> throw new IllegalArgumentException("Unsupported check kind " + c.kind());
        };
    }

    /**
     * The most recent day's row count against the mean and sample standard deviation of the
     * {@code days} days before it (days with rows; at least {@code min_history} of them): a
     * failure when it lies more than {@code threshold} deviations away.
     */
    private static String volumeAnomaly(CheckDefinition c) {
        int days = c.days() == null ? 28 : c.days();
        String threshold = c.threshold() == null ? "3" : c.threshold().toPlainString();
        int minHistory = c.minHistory() == null ? 7 : c.minHistory();
        String ts = "t." + c.timestampColumn();
        return "WITH daily AS (SELECT (" + ts + " AT TIME ZONE 'UTC')::date AS day, count(*) AS n FROM " + c.table()
                + " t WHERE true" + versionFilter(c) + " GROUP BY 1), "
                + "target AS (SELECT max(day) AS day FROM daily), "
                + "stats AS (SELECT avg(d.n) AS mean, stddev_samp(d.n) AS sd, count(*) AS history FROM daily d, target "
                + "WHERE d.day < target.day AND d.day >= target.day - " + days + ") "
                + "SELECT target.day, d.n AS count, round(stats.mean, 2) AS mean, round(stats.sd, 2) AS stddev "
                + "FROM target JOIN daily d ON d.day = target.day CROSS JOIN stats "
                + "WHERE stats.history >= " + minHistory + " AND stats.sd > 0 "
                + "AND abs(d.n - stats.mean) > " + threshold + " * stats.sd";
    }

    /**
     * When a row counts as arrived, for a grace period: its {@code timestamp_column}, or else, for
     * staging tables, when its batch was loaded (from the ledger, through the row's batch_seq).
     */
    private static String arrival(CheckDefinition c) {
        return c.timestampColumn() != null ? "t." + c.timestampColumn()
                : "(SELECT b.loaded_at FROM pipeline.batch b WHERE b.batch_seq = t.batch_seq)";
    }

    private static String versionFilter(CheckDefinition c) {
        if (!c.isVersioned()) {
            return "";
        }
        // mart rows are valid from the version that wrote them until the one that replaced them
        return " AND t.version_from <= :version AND t.version_to > :version";
    }

    /** A user's SQL as a subquery: its trailing semicolon dropped; {@code :version} needs a version in scope. */
    private static String userSql(String sql, Long version) {
        if (version == null && !NamedSql.of(sql, USER_SQL_PARAMETERS).names().isEmpty()) {
            throw new NotApplicable("the SQL uses :version but the run has no version in its scope");
        }
        return sql.strip().replaceAll(";\\s*$", "");
    }
}
