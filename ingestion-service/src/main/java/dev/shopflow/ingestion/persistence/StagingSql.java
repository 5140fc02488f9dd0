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

    /**
     * One upsert for the whole batch. Within the batch the last line of a key wins (for versioned
     * entities: the newest updated_at, then the last line); against staging the newest updated_at
     * wins, or, for items and payments, the later batch (batch_seq).
     */
    String upsert() {
        List<String> columns = schema.columnNames();
        String keys = String.join(", ", schema.keyColumns());
        String typed = schema.fields().stream().map(f -> f.name() + "::" + f.type().sqlType() + " AS " + f.name())
                .collect(Collectors.joining(", "));
        String order = keys + (schema.versionColumn() != null ? ", " + schema.versionColumn() + " DESC" : "")
                + ", src_line DESC";
        String updates = columns.stream().filter(c -> !schema.keyColumns().contains(c))
                .map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
        String table = schema.stagingTable();
        String newer = schema.versionColumn() != null
                ? table + "." + schema.versionColumn() + " < EXCLUDED." + schema.versionColumn()
                : table + ".batch_seq < EXCLUDED.batch_seq";
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ", batch_id, batch_seq, loaded_at) "
                + "SELECT DISTINCT ON (" + keys + ") " + String.join(", ", columns) + ", ?::uuid, ?, ? FROM ("
                + "SELECT src_line, " + typed + " FROM tmp_rows WHERE reasons IS NULL) t "
                + "ORDER BY " + order + " "
                + "ON CONFLICT (" + keys + ") DO UPDATE SET " + updates
                + ", batch_id = EXCLUDED.batch_id, batch_seq = EXCLUDED.batch_seq, loaded_at = EXCLUDED.loaded_at "
                + "WHERE " + newer;
    }

    /**
     * For entities that keep versions: every valid version not seen before (same key and
     * updated_at: the first arrival stays; within a batch the last line, as in {@link #upsert()}).
     */
    String insertVersions() {
        List<String> columns = schema.columnNames();
        String keys = String.join(", ", schema.keyColumns());
        String typed = schema.fields().stream().map(f -> f.name() + "::" + f.type().sqlType() + " AS " + f.name())
                .collect(Collectors.joining(", "));
        return "INSERT INTO " + schema.versionTable() + " (" + String.join(", ", columns) + ", batch_id, loaded_at) "
                + "SELECT DISTINCT ON (" + keys + ", " + schema.versionColumn() + ") " + String.join(", ", columns)
                + ", ?::uuid, ? FROM (SELECT src_line, " + typed + " FROM tmp_rows WHERE reasons IS NULL) t "
                + "ORDER BY " + keys + ", " + schema.versionColumn() + ", src_line DESC "
                + "ON CONFLICT (" + keys + ", " + schema.versionColumn() + ") DO NOTHING";
    }

    static String csvField(String value) {
        if (value == null) {
            return "";
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    boolean keepsVersions() {
        return schema.keepsVersions();
    }

    List<FieldSpec> fields() {
        return schema.fields();
    }
}
