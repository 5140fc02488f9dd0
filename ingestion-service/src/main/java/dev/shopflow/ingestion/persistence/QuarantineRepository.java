package dev.shopflow.ingestion.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopflow.common.db.NamedSql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/** Reads quarantined rows ({@code quarantine.rejected_row}). */
@ApplicationScoped
public class QuarantineRepository {

    public record RejectedRow(long id, UUID batchId, String entity, int lineNumber, String originalLine,
            JsonNode reasons, Instant receivedAt) {
    }

    private final DataSource dataSource;
    private final ObjectMapper mapper;

    QuarantineRepository(DataSource dataSource, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.mapper = mapper;
    }

    private static final NamedSql FIND = NamedSql.of("SELECT id, batch_id, entity, line_number, original_line, "
            + "reasons::text, received_at FROM quarantine.rejected_row "
            + "WHERE (:entity::text IS NULL OR entity = :entity::text) AND (:batch_id::uuid IS NULL OR batch_id = :batch_id::uuid) "
            + "ORDER BY id DESC LIMIT :limit");

    public List<RejectedRow> find(String entity, UUID batchId, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(FIND.sql())) {
            Map<String, Object> values = new HashMap<>();
            values.put("entity", entity);
            values.put("batch_id", batchId);
            values.put("limit", limit);
            FIND.bind(ps, values);
            List<RejectedRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new RejectedRow(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getInt(4),
                            rs.getString(5), mapper.readTree(rs.getString(6)), rs.getTimestamp(7).toInstant()));
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            return rows;
        }
    }
}
