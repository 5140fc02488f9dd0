package dev.shopflow.ingestion.persistence;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopflow.common.db.JsonColumns;
import dev.shopflow.common.db.SqlStates;
import dev.shopflow.ingestion.domain.RecordSchema;
import dev.shopflow.ingestion.domain.StorableText;
import dev.shopflow.ingestion.domain.ValidatedRow;
import dev.shopflow.ingestion.service.LoadPhases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The general load path: rows stream through COPY into a temporary table as they are validated;
 * then one statement quarantines the bad rows and one merges the good ones into staging, under the
 * entity's merge lock (exclusive). Handles every batch: existing keys, versions, repeated keys.
 */
public final class MergeLoad implements RowSink {

    private static final Logger LOG = Logger.getLogger(MergeLoad.class);

    private final Connection connection;
    private final StagingSql sql;
    private final ObjectMapper mapper;
    private final UUID batchId;
    private final long batchSeq;
    private final Instant receivedAt;
    private final CopyCsvWriter copy;

    public MergeLoad(Connection connection, RecordSchema schema, ObjectMapper mapper, UUID batchId, long batchSeq,
            Instant receivedAt) throws SQLException {
        this.connection = connection;
        this.sql = new StagingSql(schema);
        this.mapper = mapper;
        this.batchId = batchId;
        this.batchSeq = batchSeq;
        this.receivedAt = receivedAt;
        try (Statement st = connection.createStatement()) {
            st.execute(sql.createTempTable());
        }
        this.copy = CopyCsvWriter.copyIn(connection, sql.copyIn());
    }

    @Override
    public void add(int line, ValidatedRow row, String originalLine) {
        copy.field(Integer.toString(line));
        if (row.valid()) {
            copy.field(null).field(null).fields(row.values());
        } else {
            copy.field(StorableText.clean(originalLine)).field(JsonColumns.write(mapper, row.reasons()));
            for (int i = 0; i < row.values().length; i++) {
                copy.field(null);
            }
        }
        copy.endRow();
    }

    @Override
    public int finish(LoadPhases phases) throws SQLException, IOException {
        copy.close();
        phases.lap("copy_end");
        try (PreparedStatement ps = connection.prepareStatement(sql.insertQuarantine())) {
            ps.setObject(1, batchId);
            ps.setString(2, sql.entity());
            ps.setTimestamp(3, Timestamp.from(receivedAt));
            ps.executeUpdate();
        }
        phases.lap("quarantine");
        try (Statement st = connection.createStatement()) {
            st.execute(sql.analyze());
        }
        try (PreparedStatement ps = connection.prepareStatement(sql.lockEntity(true))) {
            ps.setString(1, sql.entity());
            ps.execute();
        }
        phases.lap("analyze_and_lock");
        Savepoint beforeMerge = connection.setSavepoint();
        try {
            mergeAndKeepVersions(phases);
            return 0;
        } catch (SQLException e) {
            if (!SqlStates.isUnstorableValue(e)) {
                throw e;
            }
            // the safety net behind the validator: find the rows whose values PostgreSQL cannot take,
            // quarantine them (rule unstorable) and merge the rest
            connection.rollback(beforeMerge);
            int unstorable = quarantineUnstorable();
            if (unstorable == 0) {
                throw e;
            }
            LOG.warnf("Quarantined %d rows PostgreSQL could not store (%s); the validator should have caught them",
                    unstorable, e.getMessage());
            phases.lap("unstorable");
            mergeAndKeepVersions(phases);
            return unstorable;
        }
    }

    private void mergeAndKeepVersions(LoadPhases phases) throws SQLException {
        merge();
        phases.lap("merge");
        if (sql.keepsVersions()) {
            try (PreparedStatement ps = connection.prepareStatement(sql.insertVersions())) {
                ps.setLong(1, batchSeq);
                ps.executeUpdate();
            }
            phases.lap("versions");
        }
    }

    /** Casts every valid row's values one row at a time (a savepoint each), on the failure path only. */
    private int quarantineUnstorable() throws SQLException {
        java.util.Map<String, String> types = new java.util.HashMap<>();
        try (Statement st = connection.createStatement()) {
            try (java.sql.ResultSet rs = st.executeQuery(sql.columnTypes())) {
                while (rs.next()) {
                    types.put(rs.getString(1), rs.getString(2));
                }
            }
            st.execute(sql.createUnstorableFunction(types));
        }
        try (PreparedStatement ps = connection.prepareStatement(sql.quarantineUnstorable())) {
            ps.setObject(1, batchId);
            ps.setString(2, sql.entity());
            ps.setTimestamp(3, Timestamp.from(receivedAt));
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * Cheapest statement first, each inside a savepoint: a plain INSERT when every key is new;
     * MERGE when some keys exist (23505 from the INSERT); MERGE over the deduplicated batch when
     * it repeats a key (23505 or 21000 from MERGE).
     */
    private void merge() throws SQLException {
        if (attempt(sql.insertNew()) || attempt(sql.merge(false))) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement(sql.merge(true))) {
            ps.setLong(1, batchSeq);
            ps.executeUpdate();
        }
    }

    /** @return false when the statement hit a duplicate key (and was rolled back), true when it ran */
    private boolean attempt(String statement) throws SQLException {
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
        } catch (IOException | UncheckedIOException e) {
            // the COPY was already ended or the connection is broken; the transaction rolls back either way
        }
    }
}
