package dev.shopflow.quality.domain;

import java.util.stream.Collectors;

/**
 * Compiles a check to set-based SQL: one statement counts the failing rows, one samples up to 20 of
 * them as JSON. Identifiers were validated when the file was read; the scope version is bound.
 */
public record CheckSql(String countSql, String sampleSql) {

    public static final int SAMPLE_SIZE = 20;

    public static CheckSql compile(CheckDefinition check, boolean scopedToVersion) {
        String filter = scopedToVersion ? " AND version = ?" : "";
        String failing = switch (check.kind()) {
            case "not_null" -> "SELECT * FROM " + check.table() + " t WHERE ("
                    + check.columns().stream().map(c -> c + " IS NULL").collect(Collectors.joining(" OR ")) + ")"
                    + filter;
            case "unique" -> {
                String cols = String.join(", ", check.columns());
                yield "SELECT " + cols + ", count(*) AS occurrences FROM " + check.table() + " WHERE true" + filter
                        + " GROUP BY " + cols + " HAVING count(*) > 1";
            }
            default -> throw new IllegalArgumentException("Unsupported check kind " + check.kind());
        };
        return new CheckSql("SELECT count(*) FROM (" + failing + ") f",
                "SELECT row_to_json(f)::text FROM (" + failing + " LIMIT " + SAMPLE_SIZE + ") f");
    }
}
