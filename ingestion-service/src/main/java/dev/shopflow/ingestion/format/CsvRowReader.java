package dev.shopflow.ingestion.format;

import dev.shopflow.common.problem.Problem;
import dev.shopflow.common.problem.ProblemException;
import dev.shopflow.ingestion.domain.RawValue;
import dev.shopflow.ingestion.domain.RecordSchema;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Streams RFC 4180 CSV with a header row: quoted fields with doubled quotes, commas and line breaks
 * inside quotes, CRLF or LF line ends, an optional byte-order mark. Written here rather than taken
 * from a CSV library because quarantine keeps each record's exact text and line number, which the
 * libraries do not expose, and because a record's shape problems must be row-level, not fatal.
 *
 * <p>Row-level (malformed): a record with more or fewer fields than the header, text after a
 * closing quote, a quote left open at the end of the body. Request-level (400): a header that lacks
 * a required column or repeats one. A quote inside an unquoted field is taken literally, as most
 * CSV writers and readers do. An empty field is a missing value.
 */
final class CsvRowReader implements RowReader {

    private final CharSource in;
    private final String[] columns;
    private final int unknownColumns;
    private final StringBuilder raw = new StringBuilder(256);
    private final StringBuilder field = new StringBuilder(64);
    private final List<String> values = new ArrayList<>();
    private int lineNumber = 1; // the line the next record starts on
    private boolean shapeError;

    CsvRowReader(Reader reader, RecordSchema schema) throws IOException {
        this.in = new CharSource(reader);
        List<String> header = null;
        while (header == null) {
            if (!readRecord(lineNumber)) {
                break;
            }
            if (!raw.toString().isBlank()) {
                header = List.copyOf(values);
            }
        }
        if (header == null) {
            columns = new String[0];
            unknownColumns = 0;
            return;
        }
        columns = header.stream().map(String::strip).toArray(String[]::new);
        Set<String> seen = new HashSet<>();
        List<Problem.FieldError> errors = new ArrayList<>();
        int unknown = 0;
        for (String c : columns) {
            if (c.isEmpty()) {
                unknown++; // a spreadsheet's empty trailing columns: ignored like any unknown column
            } else if (!seen.add(c)) {
                errors.add(new Problem.FieldError(c, "column '" + c + "' appears more than once in the header"));
            } else if (!schema.fieldNames().contains(c)) {
                unknown++;
            }
        }
        for (String required : schema.requiredFieldNames()) {
            if (!seen.contains(required)) {
                errors.add(new Problem.FieldError(required, "required column '" + required + "' is missing from the header"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(new Problem("https://shopflow.dev/problems/bad-csv-header", "Bad Request", 400,
                    "The CSV header does not fit " + schema.entity().wireName() + ": " + errors.get(0).message(),
                    errors));
        }
        for (int i = 0; i < columns.length; i++) {
            if (!schema.fieldNames().contains(columns[i])) {
                columns[i] = null; // ignored column
            }
        }
        unknownColumns = unknown;
    }

    @Override
    public SourceRow next() throws IOException {
        while (true) {
            int startLine = lineNumber;
            if (columns.length == 0 || !readRecord(startLine)) {
                return null;
            }
            String text = raw.toString();
            if (text.isBlank()) {
                continue;
            }
            if (shapeError || values.size() != columns.length) {
                return new SourceRow(startLine, text, null);
            }
            Map<String, RawValue> fields = new HashMap<>();
            for (int i = 0; i < columns.length; i++) {
                if (columns[i] != null) {
                    fields.put(columns[i], RawValue.untyped(values.get(i)));
                }
            }
            return new SourceRow(startLine, text, fields);
        }
    }

    @Override
    public int unknownFields() {
        return unknownColumns;
    }

    /**
     * Reads one record into {@link #values} and its exact text into {@link #raw}.
     *
     * @return false at the end of the body with nothing read
     */
    private boolean readRecord(int startLine) throws IOException {
        raw.setLength(0);
        values.clear();
        shapeError = false;
        int c = in.read();
        if (c == CharSource.EOF) {
            return false;
        }
        while (true) {
            field.setLength(0);
            if (c == '"') {
                raw.append('"');
                c = readQuoted(startLine);
            } else {
                while (c != ',' && c != '\n' && c != '\r' && c != CharSource.EOF) {
                    field.append((char) c);
                    raw.append((char) c);
                    if (raw.length() > MAX_RECORD_CHARS) {
                        throw new RecordTooLongException(startLine, MAX_RECORD_CHARS);
                    }
                    c = in.read();
                }
            }
            values.add(field.toString());
            if (c == ',') {
                raw.append(',');
                c = in.read();
                continue;
            }
            // end of record: LF, CR LF, a lone CR, or the end of the body
            if (c == '\r' && in.peek() == '\n') {
                in.read();
            }
            if (c != CharSource.EOF) {
                lineNumber++;
            }
            return true;
        }
    }

    /** Reads a quoted field after its opening quote; returns the first character after the field. */
    private int readQuoted(int startLine) throws IOException {
        while (true) {
            int c = in.read();
            if (c == CharSource.EOF) {
                shapeError = true; // the quote never closes
                return c;
            }
            raw.append((char) c);
            if (raw.length() > MAX_RECORD_CHARS) {
                throw new RecordTooLongException(startLine, MAX_RECORD_CHARS);
            }
            if (c == '"') {
                if (in.peek() == '"') {
                    raw.append((char) in.read());
                    field.append('"');
                    continue;
                }
                c = in.read();
                // after the closing quote only a separator or a line end may follow
                while (c != ',' && c != '\n' && c != '\r' && c != CharSource.EOF) {
                    shapeError = true;
                    raw.append((char) c);
                    if (raw.length() > MAX_RECORD_CHARS) {
                        throw new RecordTooLongException(startLine, MAX_RECORD_CHARS);
                    }
                    c = in.read();
                }
                return c;
            }
            if (c == '\n') {
                lineNumber++;
            }
            field.append((char) c);
        }
    }
}
