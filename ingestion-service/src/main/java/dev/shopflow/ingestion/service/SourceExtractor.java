package dev.shopflow.ingestion.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopflow.common.wire.BatchReport;
import dev.shopflow.ingestion.domain.FieldSpec;
import dev.shopflow.ingestion.domain.FieldType;
import dev.shopflow.ingestion.domain.RecordSchema;
import dev.shopflow.ingestion.domain.SourceDefinition;
import dev.shopflow.ingestion.persistence.SourceState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Reads a source's mapping queries and turns their rows into ShopFlow records (docs/sources.md): the
 * mapping wrapped as {@code SELECT * FROM (<mapping>) m WHERE <cursor> > ? ORDER BY <cursor>}, streamed
 * (never a whole table in memory), cut into batches of {@code batch_rows} that never split rows of
 * one cursor value, each loaded through {@link BatchIngestionService} exactly as a pushed batch (with
 * its cursor moving in the batch's transaction). The batch key is the source, the entity, the last
 * cursor value and the body's hash: a repeated window is a replay, a changed one a new batch.
 */
final class SourceExtractor {

    /** One entity's outcome in a run. */
    record EntityRun(String entity, long rows, long loaded, long quarantined, int batches, String cursorBefore,
            String cursorAfter) {
    }

    /** The first rows of a mapping as records, for the dry run. */
    record Sample(List<String> columns, List<String> missingRequired, List<String> unknownColumns, List<String> lines) {
    }

    private static final int FETCH = 1000;

    private final SourceDefinition source;
    private final ObjectMapper json;
    private final int connectTimeoutSeconds;

    SourceExtractor(SourceDefinition source, ObjectMapper json) {
        this(source, json, 10);
    }

    SourceExtractor(SourceDefinition source, ObjectMapper json, int connectTimeoutSeconds) {
        this.source = source;
        this.json = json;
        this.connectTimeoutSeconds = connectTimeoutSeconds;
    }

    Connection connect() throws SQLException {
        if (source.files()) {
            return connectFiles();
        }
        Properties p = new Properties();
        if (source.user() != null) {
            p.setProperty("user", source.user());
        }
        String password = source.password();
        if (password != null) {
            p.setProperty("password", password);
        }
        boolean postgres = postgres();
        // fail fast on an unreachable source, and say who is reading in the source's own views
        p.setProperty("connectTimeout", postgres ? Integer.toString(connectTimeoutSeconds)
                : Integer.toString(connectTimeoutSeconds * 1000));
        if (postgres) {
            p.setProperty("ApplicationName", "shopflow-source-" + source.name());
        }
        Connection c = DriverManager.getConnection(source.url(), p);
        c.setReadOnly(true);
        if (postgres) {
            // the zone of timestamps without one, for the cursor comparison as for the values
            try (Statement st = c.createStatement()) {
                st.execute("SET TIME ZONE '" + source.timezone().getId().replace("'", "") + "'");
            }
        }
        return c;
    }

    /**
     * A folder of files, read by DuckDB's SQL (read_csv, read_json, read_parquet) in an in-memory database:
     * file names in a mapping are relative to the folder; DuckDB fetches no extension (the ones it needs
     * are built into its JDBC jar), so nothing leaves the machine.
     */
    private Connection connectFiles() throws SQLException {
        if (!java.nio.file.Files.isDirectory(java.nio.file.Path.of(source.path()))) {
            throw new SQLException("source " + source.name() + ": folder " + source.path() + " does not exist or is not a folder");
        }
        Properties p = new Properties();
        p.setProperty("autoinstall_known_extensions", "false");
        p.setProperty("autoload_known_extensions", "true");
        Connection c = DriverManager.getConnection("jdbc:duckdb:", p);
        try (Statement st = c.createStatement()) {
            st.execute("SET file_search_path = '" + source.path() + "'");
            st.execute("SET TimeZone = '" + source.timezone().getId().replace("'", "") + "'");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** The required fields the mapping's result columns lack (the query is planned, no row is read). */
    List<String> missingRequired(Connection c, SourceDefinition.Mapping mapping) throws SQLException {
        RecordSchema schema = RecordSchema.of(mapping.entity());
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM (" + mapping.query() + ") shopflow_mapping WHERE 1 = 0");
                ResultSet rs = ps.executeQuery()) {
            Columns columns = columns(rs.getMetaData(), schema, mapping);
            List<String> missing = new ArrayList<>(columns.missing(schema));
            if (columns.cursor < 0) {
                missing.add(mapping.cursor() + " (the cursor)");
            }
            return missing;
        }
    }

    /** The first {@code rows} rows of the mapping as NDJSON records, with the columns it gives and lacks. */
    Sample sample(Connection c, SourceDefinition.Mapping mapping, int rows) throws SQLException {
        RecordSchema schema = RecordSchema.of(mapping.entity());
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM (" + mapping.query() + ") shopflow_mapping")) {
            ps.setMaxRows(rows);
            try (ResultSet rs = ps.executeQuery()) {
                Columns columns = columns(rs.getMetaData(), schema, mapping);
                List<String> lines = new ArrayList<>();
                while (rs.next()) {
                    lines.add(json.writeValueAsString(record(rs, columns, schema)));
                }
                return new Sample(columns.labels, columns.missing(schema), columns.unknown, lines);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Reads past the cursor (or everything) and loads the rows; the cursor moves with each batch. */
    EntityRun extract(Connection c, SourceDefinition.Mapping mapping, Optional<SourceState.Cursor> after, boolean full,
            BatchIngestionService ingestion, SourceState state) throws SQLException, IOException {
        RecordSchema schema = RecordSchema.of(mapping.entity());
        String entity = mapping.entity().wireName();
        boolean incremental = !full && after.isPresent();
        String sql = "SELECT * FROM (" + mapping.query() + ") shopflow_mapping"
                // a row whose cursor is null is read too, and fails the run: skipped silently it would never load
                + (incremental ? " WHERE " + mapping.cursor() + " > ? OR " + mapping.cursor() + " IS NULL" : "")
                + " ORDER BY " + mapping.cursor();
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
        long rows = 0, loaded = 0, quarantined = 0;
        int batches = 0;
        String cursorAfter = after.map(SourceState.Cursor::value).orElse(null);
        try (PreparedStatement ps = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            ps.setFetchSize(FETCH);
            if (incremental) {
                bindCursor(ps, after.get());
            }
            try (ResultSet rs = ps.executeQuery()) {
                Columns columns = columns(rs.getMetaData(), schema, mapping);
                List<String> missing = columns.missing(schema);
                if (!missing.isEmpty()) {
                    throw new SourceProblem("source " + source.name() + ", entity " + entity + ": the mapping gives no column "
                            + String.join(", ", missing) + " (required fields of " + entity + ")");
                }
                if (columns.cursor < 0) {
                    throw new SourceProblem("source " + source.name() + ", entity " + entity + ": the mapping gives no cursor column "
                            + mapping.cursor());
                }
                ByteArrayOutputStream body = new ByteArrayOutputStream(1 << 16);
                int inBatch = 0;
                SourceState.Cursor last = null;
                Loads loads = new Loads(ingestion, state, entity);
                try {
                    boolean more = rs.next();
                    while (more) {
                        SourceState.Cursor cursor = cursor(rs.getObject(columns.cursor + 1), mapping);
                        // a batch never ends inside a run of equal cursor values: the cursor then never passes a row not loaded
                        if (inBatch >= source.batchRows() && !cursor.value().equals(last.value())) {
                            loads.add(body.toByteArray(), last);
                            body.reset();
                            inBatch = 0;
                        }
                        json.writeValue(new NonClosing(body), record(rs, columns, schema));
                        body.write('\n');
                        inBatch++;
                        rows++;
                        last = cursor;
                        more = rs.next();
                    }
                    if (inBatch > 0) {
                        loads.add(body.toByteArray(), last);
                    }
                } finally {
                    // the batches already cut are whole: they load even when reading failed after them
                    loads.finish();
                }
                loaded = loads.loaded;
                quarantined = loads.quarantined;
                batches = loads.batches;
                if (loads.cursorAfter != null) {
                    cursorAfter = loads.cursorAfter;
                }
            }
        } finally {
            try {
                c.rollback();
                c.setAutoCommit(autoCommit);
            } catch (SQLException e) {
                // the source went away; the run reports the original failure
            }
        }
        return new EntityRun(entity, rows, loaded, quarantined, batches, after.map(SourceState.Cursor::value).orElse(null),
                cursorAfter);
    }

    /** A batch cut by the reader, waiting to be loaded. */
    private record Cut(byte[] body, SourceState.Cursor last) {
    }

    private static final Cut END = new Cut(null, null);

    private static final java.util.concurrent.ExecutorService LOADERS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "source-loader");
        t.setDaemon(true);
        return t;
    });

    /**
     * Loads the batches the reader cuts, one at a time and in cursor order, on a thread of its own:
     * reading and serializing the next batch overlaps loading this one (two cores, about 1.5x the
     * serial rate). At most one batch waits, so memory stays at about two batches.
     */
    private final class Loads {
        private final java.util.concurrent.BlockingQueue<Cut> queue = new java.util.concurrent.ArrayBlockingQueue<>(1);
        private final java.util.concurrent.Future<Void> task;
        long loaded;
        long quarantined;
        int batches;
        String cursorAfter;

        Loads(BatchIngestionService ingestion, SourceState state, String entity) {
            task = LOADERS.submit(() -> {
                for (Cut cut = queue.take(); cut != END; cut = queue.take()) {
                    BatchReport r = load(ingestion, state, entity, cut.body(), cut.last());
                    loaded += r.loaded();
                    quarantined += r.quarantined();
                    batches++;
                    cursorAfter = cut.last().value();
                }
                return null;
            });
        }

        void add(byte[] body, SourceState.Cursor last) throws IOException, SQLException {
            hand(new Cut(body, last));
        }

        /** Waits for the batches handed over; rethrows a load's failure. */
        void finish() throws IOException, SQLException {
            hand(END);
            try {
                task.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                task.cancel(true);
                throw new IOException("interrupted while loading a source's batches", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw failure(e.getCause());
            }
        }

        private void hand(Cut cut) throws IOException, SQLException {
            try {
                while (!queue.offer(cut, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    if (task.isDone()) {
                        task.get(); // the loader failed: its failure ends the run
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                task.cancel(true);
                throw new IOException("interrupted while loading a source's batches", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw failure(e.getCause());
            }
        }

        private IOException failure(Throwable cause) throws SQLException {
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            return cause instanceof IOException io ? io : new IOException(cause);
        }
    }

    private BatchReport load(BatchIngestionService ingestion, SourceState state, String entity, byte[] body,
            SourceState.Cursor last) throws IOException, SQLException {
        return ingestion.ingest(entity, "application/x-ndjson", batchKey("src", entity, last.value(), body),
                new ByteArrayInputStream(body), (c, report) -> state.advance(c, source.name(), entity, last)).report();
    }

    /** {@code <kind>:<source>:<entity>:<window>:<body hash>}: a window read again with the same rows is a replay. */
    private String batchKey(String kind, String entity, String window, byte[] body) {
        String w = window.length() <= 48 ? window : sha256(window.getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 16);
        return kind + ":" + source.name() + ":" + entity + ":" + w + ":" + sha256(body).substring(0, 32);
    }

    /**
     * The type of each column a mapping's {@code follows} match on, as the source names it (int4, text,
     * ...): changed keys are bound as text and cast to it, so the source can use its indexes.
     */
    Map<String, String> matchTypes(Connection c, SourceDefinition.Mapping mapping) throws SQLException {
        Map<String, String> types = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM (" + mapping.query() + ") shopflow_mapping WHERE 1 = 0");
                ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                types.put(md.getColumnLabel(i).toLowerCase(Locale.ROOT), md.getColumnTypeName(i));
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (SourceDefinition.Follow f : mapping.follows()) {
            String type = types.get(f.match().toLowerCase(Locale.ROOT));
            if (type == null) {
                throw new SourceProblem("source " + source.name() + ", entity " + mapping.entity().wireName()
                        + ": follows " + f.table() + ": the mapping gives no column " + f.match() + " to match on");
            }
            if (!type.matches("[A-Za-z0-9_ ]+")) {
                throw new SourceProblem("source " + source.name() + ", entity " + mapping.entity().wireName()
                        + ": column " + f.match() + " has type " + type + ", which cannot match changed keys");
            }
            out.put(f.match().toLowerCase(Locale.ROOT), type.strip());
        }
        return out;
    }

    /**
     * Change data capture: reads the mapping again for the rows whose match columns equal the changed
     * source rows' keys ({@code keys}: match column to values as text) and loads what it gives as
     * batches of {@code batch_rows}, keyed by the window ({@code position}, the source's log position)
     * and the body. A key the mapping no longer gives (a deleted row) loads nothing.
     */
    EntityRun reread(Connection c, SourceDefinition.Mapping mapping, Map<String, String> matchTypes,
            Map<String, java.util.Set<String>> keys, String position, BatchIngestionService ingestion)
            throws SQLException, IOException {
        RecordSchema schema = RecordSchema.of(mapping.entity());
        String entity = mapping.entity().wireName();
        List<String> conditions = new ArrayList<>();
        List<String[]> values = new ArrayList<>();
        for (Map.Entry<String, java.util.Set<String>> k : keys.entrySet()) {
            if (k.getValue().isEmpty()) {
                continue;
            }
            conditions.add(k.getKey() + " = ANY(CAST(? AS text[])::" + matchTypes.get(k.getKey()) + "[])");
            values.add(k.getValue().toArray(String[]::new));
        }
        if (conditions.isEmpty()) {
            return new EntityRun(entity, 0, 0, 0, 0, position, position);
        }
        String sql = "SELECT * FROM (" + mapping.query() + ") shopflow_mapping WHERE " + String.join(" OR ", conditions)
                + " ORDER BY " + mapping.cursor();
        long rows = 0, loaded = 0, quarantined = 0;
        int batches = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.size(); i++) {
                ps.setArray(i + 1, c.createArrayOf("text", values.get(i)));
            }
            try (ResultSet rs = ps.executeQuery()) {
                Columns columns = columns(rs.getMetaData(), schema, mapping);
                ByteArrayOutputStream body = new ByteArrayOutputStream(1 << 14);
                int inBatch = 0;
                boolean more = rs.next();
                while (more) {
                    json.writeValue(new NonClosing(body), record(rs, columns, schema));
                    body.write('\n');
                    inBatch++;
                    rows++;
                    more = rs.next();
                    if (inBatch >= source.batchRows() || (!more && inBatch > 0)) {
                        byte[] bytes = body.toByteArray();
                        BatchReport r = ingestion.ingest(entity, "application/x-ndjson",
                                batchKey("cdc", entity, position + "#" + batches, bytes), new ByteArrayInputStream(bytes)).report();
                        loaded += r.loaded();
                        quarantined += r.quarantined();
                        batches++;
                        body.reset();
                        inBatch = 0;
                    }
                }
            }
        }
        return new EntityRun(entity, rows, loaded, quarantined, batches, position, position);
    }

    private void bindCursor(PreparedStatement ps, SourceState.Cursor after) throws SQLException {
        switch (after.kind()) {
            case "timestamp" -> {
                Instant at = Instant.parse(after.value()).minus(source.lookback());
                if (postgres()) {
                    ps.setObject(1, at.atOffset(ZoneOffset.UTC));
                } else {
                    ps.setObject(1, LocalDateTime.ofInstant(at, source.timezone()));
                }
            }
            case "number" -> ps.setBigDecimal(1, new BigDecimal(after.value()));
            default -> ps.setString(1, after.value());
        }
    }

    private boolean postgres() {
        return !source.files() && source.url().startsWith("jdbc:postgresql:");
    }

    /** The cursor value of a row, in a form that compares and binds again. */
    private SourceState.Cursor cursor(Object value, SourceDefinition.Mapping mapping) {
        if (value == null) {
            throw new SourceProblem("source " + source.name() + ", entity " + mapping.entity().wireName() + ": cursor column "
                    + mapping.cursor() + " is null in a row; a cursor must be set on every row");
        }
        Instant instant = instant(value);
        if (instant != null) {
            return new SourceState.Cursor("timestamp", instant.toString());
        }
        if (value instanceof Number n) {
            return new SourceState.Cursor("number", new BigDecimal(n.toString()).toPlainString());
        }
        return new SourceState.Cursor("text", value.toString());
    }

    /** A timestamp-like JDBC value as an instant (a value without zone in the source's time zone), else null. */
    private Instant instant(Object value) {
        if (value instanceof java.sql.Timestamp ts) {
            return ts.toLocalDateTime().atZone(source.timezone()).toInstant();
        }
        if (value instanceof LocalDateTime ldt) {
            return ldt.atZone(source.timezone()).toInstant();
        }
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof java.time.ZonedDateTime zdt) {
            return zdt.toInstant();
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.sql.Date d) {
            return d.toLocalDate().atStartOfDay(source.timezone()).toInstant();
        }
        if (value instanceof LocalDate d) {
            return d.atStartOfDay(source.timezone()).toInstant();
        }
        return null;
    }

    /** A row as the entity's record: its fields only, values as JSON types, timestamps as UTC instants. */
    private ObjectNode record(ResultSet rs, Columns columns, RecordSchema schema) throws SQLException {
        ObjectNode record = json.createObjectNode();
        for (Map.Entry<String, Integer> field : columns.fields.entrySet()) {
            Object value = rs.getObject(field.getValue() + 1);
            if (value == null) {
                continue;
            }
            String name = field.getKey();
            FieldType type = columns.types.get(name);
            Instant instant = type == FieldType.TIMESTAMP ? instant(value) : null;
            if (instant != null) {
                record.put(name, instant.toString());
            } else if (value instanceof BigDecimal d) {
                record.put(name, d);
            } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
                record.put(name, ((Number) value).longValue());
            } else if (value instanceof Double || value instanceof Float) {
                record.put(name, new BigDecimal(value.toString()));
            } else if (value instanceof java.math.BigInteger b) {
                record.put(name, new BigDecimal(b));
            } else if (value instanceof Boolean b) {
                record.put(name, b);
            } else {
                record.put(name, value.toString());
            }
        }
        return record;
    }

    /** Where the entity's fields and the cursor are among the result columns. */
    private static final class Columns {
        final List<String> labels = new ArrayList<>();
        final Map<String, Integer> fields = new LinkedHashMap<>();
        final Map<String, FieldType> types = new LinkedHashMap<>();
        final List<String> unknown = new ArrayList<>();
        int cursor = -1;

        List<String> missing(RecordSchema schema) {
            return schema.requiredFieldNames().stream().filter(f -> !fields.containsKey(f)).toList();
        }
    }

    private static Columns columns(ResultSetMetaData md, RecordSchema schema, SourceDefinition.Mapping mapping)
            throws SQLException {
        Columns out = new Columns();
        Map<String, FieldType> known = new LinkedHashMap<>();
        for (FieldSpec f : schema.fields()) {
            known.put(f.name(), f.type());
        }
        for (int i = 0; i < md.getColumnCount(); i++) {
            String label = md.getColumnLabel(i + 1).toLowerCase(Locale.ROOT);
            out.labels.add(label);
            if (label.equals(mapping.cursor().toLowerCase(Locale.ROOT))) {
                out.cursor = i;
            }
            if (known.containsKey(label)) {
                out.fields.putIfAbsent(label, i);
                out.types.put(label, known.get(label));
            } else if (!label.equals(mapping.cursor().toLowerCase(Locale.ROOT))) {
                out.unknown.add(label);
            }
        }
        return out;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A problem of the source's mapping (not of the connection): the run fails with this message. */
    static final class SourceProblem extends RuntimeException {
        SourceProblem(String message) {
            super(message);
        }
    }

    /** Jackson closes what it writes to; the batch body stays open. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(java.io.OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() {
            // the batch body stays open
        }
    }
}
