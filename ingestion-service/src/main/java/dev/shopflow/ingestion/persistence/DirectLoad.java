package dev.shopflow.ingestion.persistence;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopflow.common.db.JsonColumns;
import dev.shopflow.ingestion.domain.RecordSchema;
import dev.shopflow.ingestion.domain.StorableText;
import dev.shopflow.ingestion.domain.ValidatedRow;
import dev.shopflow.ingestion.service.LoadPhases;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.time.Instant;
import java.util.UUID;
import org.postgresql.PGConnection;

/**
 * The fast path for a batch of new keys (most batches of orders, lines and payments): valid rows
 * COPY straight into staging, bad rows go to a local file and COPY into quarantine at the end. No
 * temporary table, no INSERT ... SELECT: about the cost of a plain {@code \copy}.
 *
 * <p>It holds the entity's merge lock in shared mode, so it never overlaps a merge of the entity.
 * If any key exists or repeats, COPY fails with 23505 and the caller rolls back to before it (which
 * releases the lock) and loads the batch through {@link MergeLoad}.
 */
public final class DirectLoad implements RowSink {

    private final Connection connection;
    private final StagingSql sql;
    private final ObjectMapper mapper;
    private final UUID batchId;
    private final String batchSeq;
    private final String receivedAt;
    private final Path rejectsFile;
    private final CopyCsvWriter rejects;
    private final CopyCsvWriter copy;

    public DirectLoad(Connection connection, RecordSchema schema, ObjectMapper mapper, UUID batchId, long batchSeq,
            Instant receivedAt) throws SQLException, IOException {
        this.connection = connection;
        this.sql = new StagingSql(schema);
        this.mapper = mapper;
        this.batchId = batchId;
        this.batchSeq = Long.toString(batchSeq);
        this.receivedAt = receivedAt.toString();
        try (PreparedStatement ps = connection.prepareStatement(sql.lockEntity(false))) {
            ps.setString(1, sql.entity());
            ps.execute();
        }
        this.rejectsFile = Files.createTempFile("shopflow-rejects-", ".csv");
        this.rejects = CopyCsvWriter.to(Files.newOutputStream(rejectsFile));
        this.copy = CopyCsvWriter.copyIn(connection, sql.copyIntoStaging());
    }

    /** Whether this entity may take the direct path: not customers and products, whose versions MergeLoad keeps. */
    public static boolean accepts(RecordSchema schema) {
        return !schema.keepsVersions();
    }

    /** Whether any of these keys (one list of values per key column) is in staging already. */
    public static boolean anyKeyExists(Connection connection, RecordSchema schema, List<List<String>> keys)
            throws SQLException {
        if (keys.isEmpty() || keys.get(0).isEmpty()) {
            return false;
        }
        try (PreparedStatement ps = connection.prepareStatement(new StagingSql(schema).anyKeyExists())) {
            for (int i = 0; i < keys.size(); i++) {
                ps.setArray(i + 1, connection.createArrayOf("text", keys.get(i).toArray()));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    @Override
    public void add(int line, ValidatedRow row, String originalLine) {
        if (row.valid()) {
            copy.fields(row.values()).field(batchSeq).endRow();
        } else {
            rejects.field(batchId.toString()).field(sql.entity()).field(Integer.toString(line))
                    .field(StorableText.clean(originalLine))
                    .field(JsonColumns.write(mapper, row.reasons())).field(receivedAt).endRow();
        }
    }

    @Override
    public int finish(LoadPhases phases) throws SQLException, IOException {
        copy.close();
        phases.lap("copy_end");
        rejects.close();
        try (Reader in = Files.newBufferedReader(rejectsFile, StandardCharsets.UTF_8)) {
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql.copyIntoQuarantine(), in);
        }
        phases.lap("quarantine");
        return 0;
    }

    @Override
    public void close() {
        try {
            copy.close();
        } catch (IOException | UncheckedIOException e) {
            // ended already, or the COPY failed; the caller rolls back
        }
        try {
            rejects.close();
            Files.deleteIfExists(rejectsFile);
        } catch (IOException | UncheckedIOException e) {
            rejectsFile.toFile().deleteOnExit();
        }
    }
}
