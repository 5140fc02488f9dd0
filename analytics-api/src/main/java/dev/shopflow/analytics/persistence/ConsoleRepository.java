package dev.shopflow.analytics.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * What the console reads from the database besides KPIs: transform runs with their steps, the
 * published data's extent, and the data catalog (tables, columns, comments, what each is built from).
 * Read-only, like the rest of analytics. (Quality's results come from quality-service over HTTP.)
 */
@ApplicationScoped
public class ConsoleRepository {

    /** The layers the lineage shows, in flow order. */
    public static final List<String> LAYERS = List.of("staging", "core", "warehouse", "marts");

    private final DataSource dataSource;
    private final JsonNode lineage;

    ConsoleRepository(DataSource dataSource, ObjectMapper mapper) {
        this.dataSource = dataSource;
        try (InputStream in = ConsoleRepository.class.getResourceAsStream("/console/lineage.json")) {
            this.lineage = mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("console/lineage.json unreadable", e);
        }
    }

    /** The newest transform runs, each with its steps (name, rows, duration). */
    public List<Map<String, Object>> runs(int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT run_id, kind, status, started_at, finished_at, "
                        + "extract(epoch FROM finished_at - started_at) * 1000 AS duration_ms, batches, built_version, "
                        + "published_version, steps, audit, error FROM pipeline.transform_run ORDER BY run_id DESC LIMIT ?")) {
            ps.setInt(1, limit);
            return RowMaps.of(ps);
        }
    }

    /** The first and last day of orders in the published version: the console's default KPI range. */
    public Map<String, Object> extent() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        SELECT p.version, min(s.order_date) AS first_day, max(s.order_date) AS last_day
                        FROM (SELECT max(version) AS version FROM pipeline.published_version) p
                        LEFT JOIN marts.mart_daily_sales s ON s.version_from <= p.version AND s.version_to > p.version
                        GROUP BY p.version""")) {
            List<Map<String, Object>> rows = RowMaps.of(ps);
            Map<String, Object> row = rows.isEmpty() ? Map.of() : rows.get(0);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("version", row.get("version"));
            out.put("first_day", row.get("first_day") == null ? null : row.get("first_day").toString());
            out.put("last_day", row.get("last_day") == null ? null : row.get("last_day").toString());
            return out;
        }
    }

    /**
     * The catalog: every table and view of the layers with its comment and columns, what it is built
     * from (views: the database's own dependencies; the rest: console/lineage.json), and the endpoints
     * that read each mart.
     */
    public Map<String, Object> catalog() throws SQLException {
        Map<String, Map<String, Object>> tables = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT n.nspname AS schema, cl.relname AS name,
                           CASE cl.relkind WHEN 'v' THEN 'view' WHEN 'p' THEN 'partitioned table' ELSE 'table' END AS kind,
                           obj_description(cl.oid, 'pg_class') AS comment, a.attname AS column_name,
                           format_type(a.atttypid, a.atttypmod) AS type, col_description(cl.oid, a.attnum) AS column_comment
                    FROM pg_class cl
                    JOIN pg_namespace n ON n.oid = cl.relnamespace
                    JOIN pg_attribute a ON a.attrelid = cl.oid AND a.attnum > 0 AND NOT a.attisdropped
                    WHERE n.nspname = ANY (?) AND cl.relkind IN ('r', 'v', 'p', 'm') AND NOT cl.relispartition
                    ORDER BY array_position(?, n.nspname::text), cl.relname, a.attnum""")) {
                String[] layers = LAYERS.toArray(String[]::new);
                ps.setArray(1, c.createArrayOf("text", layers));
                ps.setArray(2, c.createArrayOf("text", layers));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString("schema") + "." + rs.getString("name");
                        Map<String, Object> table = tables.get(id);
                        if (table == null) {
                            table = new LinkedHashMap<>();
                            table.put("id", id);
                            table.put("layer", rs.getString("schema"));
                            table.put("name", rs.getString("name"));
                            table.put("kind", rs.getString("kind"));
                            table.put("comment", rs.getString("comment"));
                            table.put("columns", new ArrayList<Map<String, Object>>());
                            table.put("built_from", new TreeSet<String>());
                            tables.put(id, table);
                        }
                        Map<String, Object> column = new LinkedHashMap<>();
                        column.put("name", rs.getString("column_name"));
                        column.put("type", rs.getString("type"));
                        column.put("comment", rs.getString("column_comment"));
                        columns(table).add(column);
                    }
                }
            }
            // a view's sources, from the rewrite rules' dependencies
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT DISTINCT vn.nspname || '.' || v.relname AS view, sn.nspname || '.' || s.relname AS source
                    FROM pg_rewrite r
                    JOIN pg_class v ON v.oid = r.ev_class
                    JOIN pg_namespace vn ON vn.oid = v.relnamespace
                    JOIN pg_depend d ON d.objid = r.oid AND d.classid = 'pg_rewrite'::regclass
                    JOIN pg_class s ON s.oid = d.refobjid AND s.oid <> v.oid
                    JOIN pg_namespace sn ON sn.oid = s.relnamespace
                    WHERE vn.nspname = ANY (?) AND sn.nspname = ANY (?)""")) {
                String[] layers = LAYERS.toArray(String[]::new);
                ps.setArray(1, c.createArrayOf("text", layers));
                ps.setArray(2, c.createArrayOf("text", layers));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> view = tables.get(rs.getString("view"));
                        if (view != null && tables.containsKey(rs.getString("source"))) {
                            sources(view).add(rs.getString("source"));
                        }
                    }
                }
            }
        }
        lineage.path("built_from").fields().forEachRemaining(e -> {
            Map<String, Object> table = tables.get(e.getKey());
            if (table != null) {
                e.getValue().forEach(s -> {
                    if (tables.containsKey(s.asText())) {
                        sources(table).add(s.asText());
                    }
                });
            }
        });
        Map<String, List<String>> endpoints = new TreeMap<>();
        lineage.path("endpoints").fields().forEachRemaining(e -> {
            List<String> marts = new ArrayList<>();
            e.getValue().forEach(m -> marts.add(m.asText()));
            endpoints.put(e.getKey(), marts);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("layers", LAYERS);
        out.put("tables", new ArrayList<>(tables.values()));
        out.put("endpoints", endpoints);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> columns(Map<String, Object> table) {
        return (List<Map<String, Object>>) table.get("columns");
    }

    @SuppressWarnings("unchecked")
    private static TreeSet<String> sources(Map<String, Object> table) {
        return (TreeSet<String>) table.get("built_from");
    }
}
