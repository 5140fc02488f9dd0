package dev.shopflow.ingestion.service;

import dev.shopflow.ingestion.domain.RecordSchema;
import dev.shopflow.ingestion.domain.ValidatedRow;
import dev.shopflow.ingestion.persistence.RowSink;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Collects the keys of the first valid rows of a batch, and whether any repeats, to choose the load path. */
final class KeyProbe implements RowSink {

    private final int[] keyIndexes;
    private final List<List<String>> keys = new ArrayList<>();
    private final Set<List<String>> seen = new HashSet<>();
    private boolean repeated;

    KeyProbe(RecordSchema schema) {
        List<String> columns = schema.columnNames();
        keyIndexes = schema.keyColumns().stream().mapToInt(columns::indexOf).toArray();
        for (int i = 0; i < keyIndexes.length; i++) {
            keys.add(new ArrayList<>());
        }
    }

    @Override
    public void add(int line, ValidatedRow row, String originalLine) {
        if (!row.valid()) {
            return;
        }
        List<String> key = new ArrayList<>(keyIndexes.length);
        for (int i = 0; i < keyIndexes.length; i++) {
            String value = row.values()[keyIndexes[i]];
            key.add(value);
            keys.get(i).add(value);
        }
        repeated |= !seen.add(key);
    }

    @Override
    public int finish(LoadPhases phases) {
        return 0;
    }

    @Override
    public void close() {
    }

    boolean repeated() {
        return repeated;
    }

    /** One list of values per key column, row-aligned. */
    List<List<String>> keys() {
        return keys;
    }
}
