package dev.shopflow.ingestion.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopflow.ingestion.domain.RawValue;
import java.io.IOException;
import java.io.Reader;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads NDJSON one line at a time with Jackson's streaming parser (no tree per line). A line that
 * is not exactly one JSON object is a malformed row, not a bad request; blank lines are skipped.
 * Values keep their JSON type so the validator can insist that numbers are numbers.
 */
final class NdjsonRowReader implements RowReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    private final CharSource in;
    private final Set<String> knownFields;
    private final Set<String> unknownFields = new HashSet<>();
    private final StringBuilder line = new StringBuilder(256);
    private int lineNumber;

    NdjsonRowReader(Reader reader, Set<String> knownFields) {
        this.in = new CharSource(reader);
        this.knownFields = knownFields;
    }

    @Override
    public SourceRow next() throws IOException {
        while (true) {
            line.setLength(0);
            if (!in.readLine(line, MAX_RECORD_CHARS, lineNumber + 1)) {
                return null;
            }
            lineNumber++;
            if (!isBlank(line)) {
                String text = line.toString();
                return new SourceRow(lineNumber, text, parse(text));
            }
        }
    }

    @Override
    public int unknownFields() {
        return unknownFields.size();
    }

    private Map<String, RawValue> parse(String text) {
        try (JsonParser p = FACTORY.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Map<String, RawValue> fields = new HashMap<>();
            JsonToken token;
            while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (!knownFields.contains(name)) {
                    if (unknownFields.size() < 1000) {
                        unknownFields.add(name);
                    }
                    p.skipChildren();
                    continue;
                }
                // a name twice in one object (RFC 8259: names SHOULD be unique): which value was meant is unknown
                RawValue previous = fields.put(name, switch (value) {
                    case VALUE_NULL -> new RawValue(null, true, false, false);
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new RawValue(p.getText(), true, true, false);
                    case VALUE_STRING -> new RawValue(p.getText(), true, false, false);
                    case START_OBJECT, START_ARRAY -> new RawValue(JSON.readTree(p).toString(), true, false, true);
                    default -> new RawValue(p.getText(), true, false, true); // true / false
                });
                if (previous != null) {
                    return null;
                }
            }
            // the object must close and be the only value on the line
            return token == JsonToken.END_OBJECT && p.nextToken() == null ? fields : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean isBlank(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isWhitespace(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
