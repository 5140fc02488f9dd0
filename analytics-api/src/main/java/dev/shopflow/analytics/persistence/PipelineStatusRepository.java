package dev.shopflow.analytics.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Read-only view of the ledger, transform runs and published versions for {@code /pipeline/status}. */
@ApplicationScoped
public class PipelineStatusRepository {

    private final DataSource dataSource;

    PipelineStatusRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Map<String, Object> status() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("latest_batches", rows(c, "SELECT DISTINCT ON (entity) entity, batch_id, status, received, loaded, "
                    + "quarantined, received_at FROM pipeline.batch ORDER BY entity, batch_seq DESC"));
            out.put("pending_batches", one(c, "SELECT count(*) AS n FROM pipeline.batch "
                    + "WHERE status IN ('loaded', 'transformed')").get("n"));
            out.put("last_transform_run", one(c, "SELECT run_id, kind, status, started_at, finished_at, batches, "
                    + "published_version, error, consecutive_failures, retry_after "
                    + "FROM pipeline.transform_run ORDER BY run_id DESC LIMIT 1"));
            // while set, the last run failed and automatic runs wait: what is wrong and until when
            out.put("transform_backoff", one(c, "SELECT run_id, consecutive_failures, retry_after, error FROM "
                    + "(SELECT * FROM pipeline.transform_run WHERE status <> 'running' ORDER BY run_id DESC LIMIT 1) t "
                    + "WHERE status = 'failed' AND retry_after IS NOT NULL"));
            out.put("last_audit", one(c, "SELECT run_id, status = 'audit_failed' AS failed, "
                    + "CASE WHEN status = 'audit_failed' THEN 'failed' ELSE 'passed' END AS outcome, finished_at "
                    + "FROM pipeline.transform_run WHERE audit IS NOT NULL ORDER BY run_id DESC LIMIT 1"));
            Map<String, Object> published = one(c, "SELECT version, watermark, published_at FROM pipeline.published_version "
                    + "ORDER BY version DESC LIMIT 1");
            out.put("published_version", published == null ? null : published.get("version"));
            out.put("watermark", published == null ? null : published.get("watermark"));
            out.put("freshness_seconds", one(c, "SELECT extract(epoch FROM now() - max(published_at))::bigint AS s "
                    + "FROM pipeline.published_version").get("s"));
            out.put("sources", sources(c));
            return out;
        }
    }

    /**
     * Each source that has run (docs/sources.md): its last run with its rows, the rows its batches loaded
     * in the last 24 hours (runs and change data capture alike), when it last loaded, and the lag of its
     * newest timestamp cursor. Empty until ingestion's sources tables exist.
     */
    private static List<Map<String, Object>> sources(Connection c) throws SQLException {
        if (one(c, "SELECT to_regclass('pipeline.source_run') IS NOT NULL AS present").get("present") != Boolean.TRUE) {
            return List.of();
        }
        return rows(c, "SELECT r.source, r.run_id AS last_run_id, r.status AS last_run_status, r.full_read AS last_run_full, "
                + "r.started_at AS last_run_started_at, r.finished_at AS last_run_finished_at, "
                + "(SELECT coalesce(sum((e.value->>'rows')::bigint), 0) FROM jsonb_each(r.entities) e "
                + "  WHERE jsonb_typeof(e.value) = 'object') AS last_run_rows, r.errors->>0 AS last_run_error, "
                + "b.rows_24h, b.last_loaded_at, "
                + "(SELECT extract(epoch FROM now() - max(cu.cursor_value::timestamptz))::bigint FROM pipeline.source_cursor cu "
                + "  WHERE cu.source = r.source AND cu.cursor_kind = 'timestamp') AS cursor_lag_seconds "
                + "FROM (SELECT DISTINCT ON (source) * FROM pipeline.source_run ORDER BY source, run_id DESC) r "
                + "LEFT JOIN LATERAL (SELECT coalesce(sum(received) FILTER (WHERE received_at > now() - interval '24 hours'), 0) AS rows_24h, "
                + "  max(received_at) AS last_loaded_at FROM pipeline.batch "
                + "  WHERE idempotency_key LIKE 'src:' || r.source || ':%' OR idempotency_key LIKE 'cdc:' || r.source || ':%') b ON true "
                + "ORDER BY r.source");
    }

    private static Map<String, Object> one(Connection c, String sql) throws SQLException {
        List<Map<String, Object>> rows = rows(c, sql);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static List<Map<String, Object>> rows(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            return RowMaps.of(ps);
        }
    }
}
