package dev.shopflow.ingestion.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopflow.ingestion.domain.RawValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Reads NDJSON one line at a time. A line that is not a JSON object is a malformed row (not a bad
 * request); blank lines are skipped. Field names outside the schema are collected as unknown.
 */
final class NdjsonRowReader {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    /** One parsed line: its fields, or null when malformed. */
    record Line(int number, String text, Map<String, RawValue> fields) {
    }

    private final BufferedReader reader;
    private final Set<String> knownFields;
    private final Set<String> unknownFields;
    private int lineNumber;

    NdjsonRowReader(BufferedReader reader, Set<String> knownFields, Set<String> unknownFields) {
        this.reader = reader;
        this.knownFields = knownFields;
        this.unknownFields = unknownFields;
    }

    /** @return the next non-blank line, or null at the end */
    Line next() throws IOException {
        String text;
        while ((text = reader.readLine()) != null) {
            lineNumber++;
            if (!text.isBlank()) {
                return new Line(lineNumber, text, parse(text));
            }
        }
        return null;
    }

    private Map<String, RawValue> parse(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (node == null || !node.isObject()) {
            return null;
        }
        Map<String, RawValue> fields = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!knownFields.contains(field.getKey())) {
                if (unknownFields.size() < 1000) {
                    unknownFields.add(field.getKey());
                }
                continue;
            }
            JsonNode value = field.getValue();
            RawValue raw;
            if (value.isNull()) {
                raw = new RawValue(null, true, false, false);
            } else if (value.isNumber()) {
                raw = new RawValue(value.asText(), true, true, false);
            } else if (value.isTextual()) {
                raw = new RawValue(value.textValue(), true, false, false);
            } else {
                raw = new RawValue(value.toString(), true, false, true);
            }
            fields.put(field.getKey(), raw);
        }
        return fields;
    }
}
