package dev.shopflow.quality.domain;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads and validates a checks file; every problem is reported with the check it concerns. */
public final class ChecksFile {

    private static final Set<String> KINDS = Set.of("not_null", "unique");
    private static final Set<String> LAYERS = Set.of("staging", "warehouse", "marts");
    private static final Set<String> SEVERITIES = Set.of("warn", "error");
    private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*");
    private static final Pattern COLUMN = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    record Document(List<CheckDefinition> checks) {
    }

    /** Thrown when the file cannot be used; the message names the place and the problem. */
    public static class InvalidChecksFile extends RuntimeException {
        public InvalidChecksFile(String message) {
            super(message);
        }
    }

    private ChecksFile() {
    }

    public static List<CheckDefinition> read(InputStream in, String source) {
        Document doc;
        try {
            doc = YAML.readValue(in, Document.class);
        } catch (JsonMappingException e) {
            var loc = e.getLocation();
            throw new InvalidChecksFile(source + (loc == null ? "" : " line " + loc.getLineNr()) + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidChecksFile(source + ": " + e.getMessage());
        }
        if (doc == null || doc.checks() == null) {
            throw new InvalidChecksFile(source + ": expected a top-level 'checks:' list");
        }
        List<String> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < doc.checks().size(); i++) {
            CheckDefinition c = doc.checks().get(i);
            String where = "check #" + (i + 1) + (c.name() == null ? "" : " '" + c.name() + "'");
            if (c.name() == null || !COLUMN.matcher(c.name()).matches()) {
                problems.add(where + ": name must be lower_snake_case");
            } else if (!names.add(c.name())) {
                problems.add(where + ": duplicate name");
            }
            if (!KINDS.contains(c.kind())) {
                problems.add(where + ": unknown kind '" + c.kind() + "' (expected one of " + KINDS + ")");
            }
            if (!LAYERS.contains(c.layer())) {
                problems.add(where + ": layer must be one of " + LAYERS);
            }
            if (!SEVERITIES.contains(c.severity())) {
                problems.add(where + ": severity must be warn or error");
            }
            if (c.table() == null || !TABLE.matcher(c.table()).matches()) {
                problems.add(where + ": table must be schema.table");
            }
            if (c.columns() == null || c.columns().isEmpty()
                    || !c.columns().stream().allMatch(col -> col != null && COLUMN.matcher(col).matches())) {
                problems.add(where + ": columns must be a non-empty list of column names");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidChecksFile(source + ": " + String.join("; ", problems));
        }
        return List.copyOf(doc.checks());
    }
}
