package dev.shopflow.ingestion.format;

import dev.shopflow.ingestion.domain.RawValue;
import java.util.Map;

/**
 * One record as read from the body.
 *
 * @param line the line of the body where the record starts (1-based; a CSV header is line 1)
 * @param text the record exactly as sent, kept for quarantine
 * @param fields the schema's fields found in the record, or null when the record is malformed
 */
public record SourceRow(int line, String text, Map<String, RawValue> fields) {

    public boolean malformed() {
        return fields == null;
    }
}
