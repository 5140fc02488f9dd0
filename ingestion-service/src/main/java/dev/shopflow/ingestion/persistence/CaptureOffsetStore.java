package dev.shopflow.ingestion.persistence;

import io.quarkus.arc.Arc;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;

/**
 * Debezium's offsets of one source's capture in ShopFlow's database ({@code pipeline.source_offset}),
 * so a restarted or another replica resumes where the last capture stopped; a pod's file would be lost
 * with the pod. Debezium's own JDBC store deletes every row of its table on each save, so it cannot
 * share a table between sources; this one writes only its source's rows.
 *
 * <p>Debezium makes the store by reflection, so it finds ShopFlow's datasource through the CDI
 * container and its source through the engine property {@value #SOURCE}.
 */
public class CaptureOffsetStore extends MemoryOffsetBackingStore {

    /** The engine property that names the source whose offsets this store keeps. */
    public static final String SOURCE = "shopflow.capture.source";

    private String source;
    private DataSource dataSource;

    @Override
    public void configure(WorkerConfig config) {
        super.configure(config);
        source = config.originalsStrings().get(SOURCE);
        if (source == null) {
            throw new ConnectException("engine property " + SOURCE + " is not set");
        }
    }

    @Override
    public synchronized void start() {
        super.start();
        dataSource = Arc.container().instance(DataSource.class).get();
        Map<ByteBuffer, ByteBuffer> stored = new HashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT offset_key, offset_value FROM pipeline.source_offset WHERE source = ?")) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byte[] value = rs.getBytes(2);
                    stored.put(ByteBuffer.wrap(rs.getBytes(1)), value == null ? null : ByteBuffer.wrap(value));
                }
            }
        } catch (SQLException e) {
            throw new ConnectException("cannot read the capture offsets of source " + source + ": " + e.getMessage(), e);
        }
        data.putAll(stored);
    }

    @Override
    protected void save() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO pipeline.source_offset (source, offset_key, offset_value) "
                        + "VALUES (?, ?, ?) ON CONFLICT (source, offset_key) DO UPDATE SET offset_value = EXCLUDED.offset_value, "
                        + "updated_at = now()")) {
            for (Map.Entry<ByteBuffer, ByteBuffer> e : data.entrySet()) {
                ps.setString(1, source);
                ps.setBytes(2, bytes(e.getKey()));
                ps.setBytes(3, e.getValue() == null ? null : bytes(e.getValue()));
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            // the engine's commit fails with it and is tried again with the next batch
            throw new ConnectException("cannot write the capture offsets of source " + source + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Set<Map<String, Object>> connectorPartitions(String connectorName) {
        return Set.of();
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    /** Forgets a source's offsets: its next capture starts with a full read and a new slot. */
    public static void forget(Connection c, String source) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM pipeline.source_offset WHERE source = ?")) {
            ps.setString(1, source);
            ps.executeUpdate();
        }
    }

    public static boolean has(Connection c, String source) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pipeline.source_offset WHERE source = ? LIMIT 1")) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
