package dev.shopflow.ingestion.persistence;

import dev.shopflow.ingestion.domain.RecordSchema;
import dev.shopflow.ingestion.domain.ValidatedRow;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Bulk path of a batch: rows stream through PostgreSQL COPY into a temporary table as they are
 * validated, then one set-based statement quarantines the bad rows and one upserts the good ones.
 * Runs on the caller's connection and transaction.
 */
public final class StagingLoader implements AutoCloseable {

    private final Connection connection;
    private final StagingSql sql;
    private final Writer copy;
    private final com.fasterxml.jackson.databind.ObjectMapper mapper;

    public StagingLoader(Connection connection, RecordSchema schema, com.fasterxml.jackson.databind.ObjectMapper mapper)
            throws SQLException {
        this.connection = connection;
        this.sql = new StagingSql(schema);
        this.mapper = mapper;
        try (Statement st = connection.createStatement()) {
            st.execute(sql.createTempTable());
        }
        PGConnection pg = connection.unwrap(PGConnection.class);
        this.copy = new BufferedWriter(new OutputStreamWriter(
                new PGCopyOutputStream(pg, sql.copyIn(), 1 << 16), StandardCharsets.UTF_8), 1 << 16);
    }

    public void add(int line, ValidatedRow row, String originalLine) {
        try {
            copy.write(Integer.toString(line));
            copy.write(',');
            if (row.valid()) {
                copy.write(",");
                for (String value : row.values()) {
                    copy.write(',');
                    copy.write(StagingSql.csvField(value));
                }
            } else {
                copy.write(StagingSql.csvField(originalLine));
                copy.write(',');
                copy.write(StagingSql.csvField(mapper.writeValueAsString(row.reasons())));
                for (int i = 0; i < row.values().length; i++) {
                    copy.write(',');
                }
            }
            copy.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends the COPY, then moves the rows to quarantine and staging. */
    public void finish(UUID batchId, String entity, long batchSeq, Instant receivedAt) throws SQLException, IOException {
        copy.close();
        try (PreparedStatement ps = connection.prepareStatement(sql.insertQuarantine())) {
            ps.setObject(1, batchId);
            ps.setString(2, entity);
            ps.setTimestamp(3, Timestamp.from(receivedAt));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = connection.prepareStatement(sql.upsert())) {
            ps.setObject(1, batchId);
            ps.setLong(2, batchSeq);
            ps.setTimestamp(3, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
        if (sql.keepsVersions()) {
            try (PreparedStatement ps = connection.prepareStatement(sql.insertVersions())) {
                ps.setObject(1, batchId);
                ps.setTimestamp(2, Timestamp.from(Instant.now()));
                ps.executeUpdate();
            }
        }
    }

    @Override
    public void close() {
        try {
            copy.close();
        } catch (IOException e) {
            // the COPY was already ended or the connection is broken; the transaction rolls back either way
        }
    }
}
