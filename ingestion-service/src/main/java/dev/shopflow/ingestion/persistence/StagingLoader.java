package dev.shopflow.ingestion.persistence;

import dev.shopflow.ingestion.domain.RecordSchema;
import dev.shopflow.ingestion.domain.ValidatedRow;
import dev.shopflow.ingestion.service.LoadPhases;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
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
                    writeCsvField(value);
                }
            } else {
                writeCsvField(originalLine);
                copy.write(',');
                writeCsvField(mapper.writeValueAsString(row.reasons()));
                for (int i = 0; i < row.values().length; i++) {
                    copy.write(',');
                }
            }
            copy.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A COPY CSV field: empty for null (SQL NULL), otherwise quoted with doubled quotes (so "" is an empty string). */
    private void writeCsvField(String value) throws IOException {
        if (value == null) {
            return;
        }
        copy.write('"');
        int from = 0;
        for (int i = value.indexOf('"'); i >= 0; i = value.indexOf('"', i + 1)) {
            copy.write(value, from, i + 1 - from);
            copy.write('"');
            from = i + 1;
        }
        copy.write(value, from, value.length() - from);
        copy.write('"');
    }

    /** Ends the COPY, then moves the rows to quarantine and staging. */
    public void finish(UUID batchId, String entity, long batchSeq, Instant receivedAt, LoadPhases phases)
            throws SQLException, IOException {
        copy.close();
        phases.lap("copy_end");
        try (PreparedStatement ps = connection.prepareStatement(sql.insertQuarantine())) {
            ps.setObject(1, batchId);
            ps.setString(2, entity);
            ps.setTimestamp(3, Timestamp.from(receivedAt));
            ps.executeUpdate();
        }
        phases.lap("quarantine");
        try (Statement st = connection.createStatement()) {
            st.execute(sql.analyze());
        }
        try (PreparedStatement ps = connection.prepareStatement(sql.lockEntity())) {
            ps.setString(1, entity);
            ps.execute();
        }
        phases.lap("analyze_and_lock");
        merge(batchSeq);
        phases.lap("merge");
        if (sql.keepsVersions()) {
            try (PreparedStatement ps = connection.prepareStatement(sql.insertVersions())) {
                ps.setLong(1, batchSeq);
                ps.executeUpdate();
            }
            phases.lap("versions");
        }
    }

    /**
     * Cheapest statement first, each inside a savepoint: a plain INSERT when every key is new (most
     * batches: new orders, lines, payments); MERGE when some keys exist (23505 from the INSERT);
     * MERGE over the batch deduplicated when it repeats a key (23505 or 21000 from MERGE).
     */
    private void merge(long batchSeq) throws SQLException {
        if (attempt(sql.insertNew(), batchSeq) || attempt(sql.merge(false), batchSeq)) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement(sql.merge(true))) {
            ps.setLong(1, batchSeq);
            ps.executeUpdate();
        }
    }

    /** @return false when the statement hit a duplicate key (and was rolled back), true when it ran */
    private boolean attempt(String statement, long batchSeq) throws SQLException {
        Savepoint before = connection.setSavepoint();
        try (PreparedStatement ps = connection.prepareStatement(statement)) {
            ps.setLong(1, batchSeq);
            ps.executeUpdate();
            connection.releaseSavepoint(before);
            return true;
        } catch (SQLException e) {
            if (!"23505".equals(e.getSQLState()) && !"21000".equals(e.getSQLState())) {
                throw e;
            }
            connection.rollback(before);
            return false;
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
