package dev.shopflow.ingestion.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

    public List<RejectedRow> find(String entity, UUID batchId, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT id, batch_id, entity, line_number, original_line, "
                        + "reasons::text, received_at FROM quarantine.rejected_row "
                        + "WHERE (?::text IS NULL OR entity = ?) AND (?::uuid IS NULL OR batch_id = ?) "
                        + "ORDER BY id DESC LIMIT ?")) {
            ps.setString(1, entity);
            ps.setString(2, entity);
            ps.setObject(3, batchId);
            ps.setObject(4, batchId);
            ps.setInt(5, limit);
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
