package dev.shopflow.quality.domain;

import java.util.List;

/**
 * One declared check (docs/quality-checks.md). {@code versioned}: the table holds mart versions and
 * the check looks only at the version in the run's scope.
 */
public record CheckDefinition(String name, String kind, String layer, String table, List<String> columns,
        String severity, String description, boolean versioned) {
}
