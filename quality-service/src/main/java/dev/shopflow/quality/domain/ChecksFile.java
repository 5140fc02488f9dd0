package dev.shopflow.quality.domain;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Reads and validates a checks file. Every problem is reported with the file, the line where its
 * check starts, the check's name and what is wrong; a file with problems is refused whole.
 */
public final class ChecksFile {

    /** The kinds, each with the fields it needs (beyond name, kind, layer, severity). */
    static final Map<String, List<String>> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put("not_null", List.of("table", "columns"));
        KINDS.put("unique", List.of("table", "columns"));
        KINDS.put("accepted_values", List.of("table", "column", "values"));
        KINDS.put("relationships", List.of("table", "column", "to"));
        KINDS.put("range", List.of("table", "column"));
        KINDS.put("pattern", List.of("table", "column", "regex"));
        KINDS.put("row_count", List.of("table"));
        KINDS.put("volume_anomaly", List.of("table", "timestamp_column"));
        KINDS.put("freshness", List.of("table", "timestamp_column", "max_age"));
        KINDS.put("reconciliation", List.of("left_sql", "right_sql"));
        KINDS.put("custom_sql", List.of("sql"));
    }

    private static final Set<String> SEVERITIES = Set.of("warn", "error");
    private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Thrown when the file cannot be used; the message names the place and the problem. */
    public static class InvalidChecksFile extends RuntimeException {
        public InvalidChecksFile(String message) {
            super(message);
        }
    }

    private ChecksFile() {
    }

    public static List<CheckDefinition> read(InputStream in, String source) {
        List<CheckDefinition> checks = parse(in, source);
        List<String> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (CheckDefinition c : checks) {
            String where = "line " + c.line() + (c.name() == null ? "" : " (check '" + c.name() + "')");
            List<String> wrong = problems(c);
            if (c.name() != null && !names.add(c.name())) {
                wrong.add(0, "the name is used twice");
            }
            wrong.forEach(p -> problems.add(where + ": " + p));
        }
        if (!problems.isEmpty()) {
            throw new InvalidChecksFile(source + ": " + String.join("; ", problems));
        }
        return List.copyOf(checks);
    }

    /** Reads the checks one by one so each knows the line it starts on. */
    private static List<CheckDefinition> parse(InputStream in, String source) {
        List<CheckDefinition> checks = new ArrayList<>();
        try (JsonParser p = YAML.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidChecksFile(source + ": expected a top-level 'checks:' list");
            }
            boolean found = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (!field.equals("checks")) {
                    throw new InvalidChecksFile(source + " line " + p.currentLocation().getLineNr()
                            + ": unknown top-level key '" + field + "' (expected 'checks')");
                }
                if (value != JsonToken.START_ARRAY) {
                    throw new InvalidChecksFile(source + " line " + p.currentLocation().getLineNr()
                            + ": 'checks' must be a list");
                }
                found = true;
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    int line = p.currentLocation().getLineNr();
                    try {
                        checks.add(YAML.readValue(p, CheckDefinition.class).atLine(line));
                    } catch (UnrecognizedPropertyException e) {
                        // the record is buffered whole, so the parser's location is its end: name the check's start
                        throw new InvalidChecksFile(source + " line " + line + ": unknown field '" + e.getPropertyName()
                                + "' in this check");
                    } catch (JsonProcessingException e) {
                        throw new InvalidChecksFile(source + " line " + line + ": " + e.getOriginalMessage());
                    }
                }
            }
            if (!found) {
                throw new InvalidChecksFile(source + ": expected a top-level 'checks:' list");
            }
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new InvalidChecksFile(source + (loc == null ? "" : " line " + loc.getLineNr()) + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidChecksFile(source + ": " + e.getMessage());
        }
        return checks;
    }

    private static List<String> problems(CheckDefinition c) {
        List<String> out = new ArrayList<>();
        if (c.name() == null || !IDENTIFIER.matcher(c.name()).matches()) {
            out.add("name must be lower_snake_case");
        }
        if (Layer.fromWireName(c.layer()).isEmpty()) {
            out.add("layer must be one of " + Layer.wireNames());
        }
        if (!SEVERITIES.contains(c.severity())) {
            out.add("severity must be warn or error");
        }
        List<String> needs = KINDS.get(c.kind());
        if (needs == null) {
            out.add("unknown kind '" + c.kind() + "' (expected one of " + String.join(", ", KINDS.keySet()) + ")");
            return out;
        }
        Map<String, Object> present = new LinkedHashMap<>();
        present.put("table", c.table());
        present.put("columns", c.columns());
        present.put("column", c.column());
        present.put("values", c.values());
        present.put("to", c.to());
        present.put("regex", c.regex());
        present.put("timestamp_column", c.timestampColumn());
        present.put("max_age", c.maxAge());
        present.put("left_sql", c.leftSql());
        present.put("right_sql", c.rightSql());
        present.put("sql", c.sql());
        for (String field : needs) {
            Object v = present.get(field);
            if (v == null || (v instanceof List<?> l && l.isEmpty()) || (v instanceof String s && s.isBlank())) {
                out.add("kind " + c.kind() + " needs '" + field + "'");
            }
        }
        check(out, c.table(), t -> TABLE.matcher(t).matches(), "table must be schema.table in lower case");
        check(out, c.to(), t -> TABLE.matcher(t).matches(), "to must be schema.table in lower case");
        check(out, c.column(), col -> IDENTIFIER.matcher(col).matches(), "column must be a column name");
        check(out, c.toColumn(), col -> IDENTIFIER.matcher(col).matches(), "to_column must be a column name");
        check(out, c.timestampColumn(), col -> IDENTIFIER.matcher(col).matches(), "timestamp_column must be a column name");
        if (c.columns() != null && !c.columns().stream().allMatch(col -> col != null && IDENTIFIER.matcher(col).matches())) {
            out.add("columns must be column names");
        }
        check(out, c.grace(), g -> Durations.parse(g) != null, "grace must be a duration like 2d, 26h or PT48H");
        check(out, c.maxAge(), g -> Durations.parse(g) != null, "max_age must be a duration like 26h or PT26H");
        if (c.kind().equals("range") && c.min() == null && c.max() == null) {
            out.add("kind range needs 'min' or 'max'");
        }
        if (c.kind().equals("row_count") && c.minRows() == null && c.maxRows() == null) {
            out.add("kind row_count needs 'min_rows' or 'max_rows'");
        }
        if (c.days() != null && (c.days() < 2 || c.days() > 366)) {
            out.add("days must be between 2 and 366");
        }
        if (c.threshold() != null && c.threshold().signum() <= 0) {
            out.add("threshold must be positive");
        }
        if (c.tolerance() != null && c.tolerance().signum() < 0) {
            out.add("tolerance must not be negative");
        }
        return out;
    }

    private static void check(List<String> out, String value, Predicate<String> ok, String message) {
        if (value != null && !ok.test(value)) {
            out.add(message);
        }
    }
}
