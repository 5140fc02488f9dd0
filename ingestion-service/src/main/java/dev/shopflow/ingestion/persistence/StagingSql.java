package dev.shopflow.ingestion.persistence;

import dev.shopflow.ingestion.domain.FieldSpec;
import dev.shopflow.ingestion.domain.RecordSchema;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The set-based SQL of a batch load, derived from the entity's {@link RecordSchema} so the columns
 * are declared once. Identifiers come from the schema declarations, never from input.
 */
final class StagingSql {

    private final RecordSchema schema;

    StagingSql(RecordSchema schema) {
        this.schema = schema;
    }

    /** Every field arrives as text (COPY); the typed cast happens in the upsert. */
    String createTempTable() {
        String fields = schema.columnNames().stream().map(c -> c + " text").collect(Collectors.joining(", "));
        return "CREATE TEMP TABLE tmp_rows (src_line integer NOT NULL, original_line text, reasons jsonb, "
                + fields + ") ON COMMIT DROP";
    }

    String copyIn() {
        return "COPY tmp_rows (src_line, original_line, reasons, " + String.join(", ", schema.columnNames())
                + ") FROM STDIN (FORMAT csv)";
    }

    String insertQuarantine() {
        return "INSERT INTO quarantine.rejected_row (batch_id, entity, line_number, original_line, reasons, received_at) "
                + "SELECT ?, ?, src_line, original_line, reasons, ? FROM tmp_rows WHERE reasons IS NOT NULL ORDER BY src_line";
    }

    /** The temp table's text columns cast to the staging types, named as the columns. */
    private String typedColumns() {
        return schema.fields().stream().map(f -> f.name() + "::" + f.type().sqlType() + " AS " + f.name())
                .collect(Collectors.joining(", "));
    }

    /**
     * A session-local function that tries the staging casts of each valid row of tmp_rows in a
     * subtransaction of its own and quarantines the rows that fail (rule unstorable), naming the
     * first field that fails on its own. Slow (one savepoint per row), so only used after the set-based
     * merge failed on a value.
     *
     * @param columnTypes the staging table's actual column types (they decide what fits, not the
     *     types this code expects)
     */
    String createUnstorableFunction(java.util.Map<String, String> columnTypes) {
        java.util.function.Function<FieldSpec, String> type = f -> columnTypes.getOrDefault(f.name(), f.type().sqlType());
        String allCasts = schema.fields().stream().map(f -> "r." + f.name() + "::" + type.apply(f))
                .collect(Collectors.joining(", "));
        // valid rows' lines are not kept in tmp_rows: an unstorable row is quarantined with its fields as
        // JSON (the batch's raw copy has the exact line)
        String fieldsAsJson = schema.fields().stream().map(f -> "'" + f.name() + "', r." + f.name())
                .collect(Collectors.joining(", "));
        StringBuilder perField = new StringBuilder();
        for (FieldSpec f : schema.fields()) {
            perField.append("        IF bad_field IS NULL THEN BEGIN PERFORM r.").append(f.name()).append("::")
                    .append(type.apply(f)).append("; EXCEPTION WHEN OTHERS THEN bad_field := '").append(f.name())
                    .append("'; bad_value := left(r.").append(f.name()).append(", 200); END; END IF;\n");
        }
        return """
                CREATE OR REPLACE FUNCTION pg_temp.shopflow_quarantine_unstorable(batch uuid, entity text, received timestamptz)
                RETURNS integer LANGUAGE plpgsql AS $f$
                DECLARE r record; n integer := 0; bad_field text; bad_value text; why text; reason jsonb;
                BEGIN
                  FOR r IN SELECT * FROM tmp_rows WHERE reasons IS NULL LOOP
                    BEGIN
                      PERFORM %s;
                    EXCEPTION WHEN data_exception OR program_limit_exceeded THEN
                      why := SQLERRM; bad_field := NULL; bad_value := NULL;
                %s
                      reason := jsonb_build_array(jsonb_build_object('field', bad_field, 'rule', 'unstorable',
                                                                     'value', coalesce(bad_value, why)));
                      UPDATE tmp_rows SET reasons = reason WHERE src_line = r.src_line;
                      INSERT INTO quarantine.rejected_row (batch_id, entity, line_number, original_line, reasons, received_at)
                      VALUES (batch, entity, r.src_line, coalesce(r.original_line, jsonb_build_object(%s)::text), reason, received);
                      n := n + 1;
                    END;
                  END LOOP;
                  RETURN n;
                END $f$""".formatted(allCasts, perField, fieldsAsJson);
    }

    /** The staging table's column types as PostgreSQL formats them, e.g. numeric(14,2). */
    String columnTypes() {
        return "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
                + "WHERE attrelid = '" + schema.stagingTable() + "'::regclass AND attnum > 0 AND NOT attisdropped";
    }

    String quarantineUnstorable() {
        return "SELECT pg_temp.shopflow_quarantine_unstorable(?, ?, ?)";
    }

    /** Statistics for the planner: the temp table is new and its size ranges from one row to millions. */
    String analyze() {
        return "ANALYZE tmp_rows";
    }

    /**
     * The entity's merge lock. Merges take it exclusive: they run one at a time (COPY, validation
     * and quarantine of concurrent batches still overlap), so MERGE can insert new keys without
     * racing another batch for them. Direct loads take it shared: they run together, never beside a merge.
     */
    String lockEntity(boolean exclusive) {
        return "SELECT pg_advisory_xact_lock" + (exclusive ? "" : "_shared") + "(hashtextextended('staging:' || ?, 0))";
    }

    String entity() {
        return schema.entity().wireName();
    }


    String copyIntoStaging() {
        return "COPY " + schema.stagingTable() + " (" + String.join(", ", schema.columnNames())
                + ", batch_seq) FROM STDIN (FORMAT csv)";
    }

    String copyIntoQuarantine() {
        return "COPY quarantine.rejected_row (batch_id, entity, line_number, original_line, reasons, received_at) "
                + "FROM STDIN (FORMAT csv)";
    }

    /**
     * Whether any of the given keys (one text array per key column) is in staging already; the
     * probe that decides whether a batch can take the direct path.
     */
    String anyKeyExists() {
        List<String> keys = schema.keyColumns();
        StringBuilder unnest = new StringBuilder();
        StringBuilder on = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            String type = schema.fields().stream().filter(f -> f.name().equals(key)).findFirst().orElseThrow()
                    .type().sqlType();
            unnest.append(i == 0 ? "" : ", ").append("?::text[]");
            on.append(i == 0 ? "" : " AND ").append("s.").append(key).append(" = k.k").append(i).append("::").append(type);
        }
        String aliases = java.util.stream.IntStream.range(0, keys.size()).mapToObj(i -> "k" + i)
                .collect(Collectors.joining(", "));
        return "SELECT EXISTS (SELECT 1 FROM unnest(" + unnest + ") AS k(" + aliases + ") JOIN "
                + schema.stagingTable() + " s ON " + on + ")";
    }

    /** The batch as plain inserts: succeeds only when no key exists in staging or repeats in the batch. */
    String insertNew() {
        List<String> columns = schema.columnNames();
        return "INSERT INTO " + schema.stagingTable() + " (" + String.join(", ", columns) + ", batch_seq) SELECT "
                + typedColumns() + ", ?::bigint FROM tmp_rows WHERE reasons IS NULL";
    }

    /**
     * One MERGE for the whole batch: new keys are inserted; an existing key is replaced only by a
     * newer updated_at or, for items and payments, a later batch (batch_seq). An equal or older
     * version changes nothing. Without {@code dedupe} the batch must not repeat a key (MERGE then
     * fails with 23505 or 21000 and the caller retries with it); with it, the last line of a key
     * wins within the batch (for versioned entities: the newest updated_at, then the last line).
     */
    String merge(boolean dedupe) {
        List<String> columns = schema.columnNames();
        List<String> keys = schema.keyColumns();
        String typed = typedColumns();
        String source = "SELECT src_line, " + typed + ", ?::bigint AS batch_seq FROM tmp_rows WHERE reasons IS NULL";
        if (dedupe) {
            String order = String.join(", ", keys)
                    + (schema.versionColumn() != null ? ", " + schema.versionColumn() + " DESC" : "") + ", src_line DESC";
            source = "SELECT DISTINCT ON (" + String.join(", ", keys) + ") * FROM (" + source + ") t ORDER BY " + order;
        }
        String match = keys.stream().map(k -> "s." + k + " = d." + k).collect(Collectors.joining(" AND "));
        String newer = schema.versionColumn() != null
                ? "s." + schema.versionColumn() + " < d." + schema.versionColumn()
                : "s.batch_seq < d.batch_seq";
        String updates = columns.stream().filter(c -> !keys.contains(c)).map(c -> c + " = d." + c)
                .collect(Collectors.joining(", "));
        return "MERGE INTO " + schema.stagingTable() + " s USING (" + source + ") d ON " + match
                + " WHEN MATCHED AND " + newer + " THEN UPDATE SET " + updates + ", batch_seq = d.batch_seq"
                + " WHEN NOT MATCHED THEN INSERT (" + String.join(", ", columns) + ", batch_seq) VALUES ("
                + columns.stream().map(c -> "d." + c).collect(Collectors.joining(", ")) + ", d.batch_seq)";
    }

    /**
     * For entities that keep versions: every valid version not seen before (same key and
     * updated_at: the first arrival stays; within a batch the last line, as in {@link #merge}).
     */
    String insertVersions() {
        List<String> columns = schema.columnNames();
        String keys = String.join(", ", schema.keyColumns());
        String typed = typedColumns();
        return "INSERT INTO " + schema.versionTable() + " (" + String.join(", ", columns) + ", batch_seq) "
                + "SELECT DISTINCT ON (" + keys + ", " + schema.versionColumn() + ") " + String.join(", ", columns)
                + ", ? FROM (SELECT src_line, " + typed + " FROM tmp_rows WHERE reasons IS NULL) t "
                + "ORDER BY " + keys + ", " + schema.versionColumn() + ", src_line DESC "
                + "ON CONFLICT (" + keys + ", " + schema.versionColumn() + ") DO NOTHING";
    }

    boolean keepsVersions() {
        return schema.keepsVersions();
    }
}
