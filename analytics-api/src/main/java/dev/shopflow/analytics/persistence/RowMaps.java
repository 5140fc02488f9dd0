package dev.shopflow.analytics.persistence;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.postgresql.util.PGobject;

/**
 * Rows as JSON-ready maps keyed by column label, for the pipeline's status and the console: timestamps
 * as instants, UUIDs as text, json/jsonb columns as JSON.
 */
final class RowMaps {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RowMaps() {
    }

    static List<Map<String, Object>> of(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData md = rs.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i), value(rs.getObject(i)));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    private static Object value(Object value) throws SQLException {
        if (value instanceof PGobject pg && pg.getType().startsWith("json")) {
            try {
                return pg.getValue() == null ? null : JSON.readTree(pg.getValue());
            } catch (IOException e) {
                throw new SQLException("unreadable JSON column", e);
            }
        }
        if (value instanceof Timestamp ts) {
            return ts.toInstant();
        }
        return value instanceof UUID u ? u.toString() : value;
    }
}
