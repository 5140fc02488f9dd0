package dev.shopflow.quality.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.util.List;

/**
 * One declared check (format and an example of every kind: docs/quality-checks.md). Which of the
 * kind-specific fields a check needs depends on its kind; {@link ChecksFile} enforces that.
 * {@code versioned}: the table holds mart versions and the check looks only at the version in the
 * run's scope. {@code line}: where the check starts in its file, for messages.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckDefinition(
        String name, String kind, String layer, String table, String severity, String description, Boolean versioned,
        // not_null, unique
        List<String> columns,
        // accepted_values, relationships, range, pattern
        String column,
        List<String> values,
        BigDecimal min, BigDecimal max,
        String regex,
        String to, String toColumn, String grace,
        // relationships (grace), freshness, volume_anomaly
        String timestampColumn,
        // row_count
        Long minRows, Long maxRows,
        // freshness
        String maxAge,
        // volume_anomaly
        Integer days, BigDecimal threshold, Integer minHistory,
        // custom_sql
        String sql,
        // reconciliation
        String leftSql, String rightSql, BigDecimal tolerance,
        @JsonIgnore Integer line) {

    public boolean isVersioned() {
        return Boolean.TRUE.equals(versioned);
    }

    CheckDefinition atLine(int lineNumber) {
        return new CheckDefinition(name, kind, layer, table, severity, description, versioned, columns, column, values,
                min, max, regex, to, toColumn, grace, timestampColumn, minRows, maxRows, maxAge, days, threshold,
                minHistory, sql, leftSql, rightSql, tolerance, lineNumber);
    }
}
