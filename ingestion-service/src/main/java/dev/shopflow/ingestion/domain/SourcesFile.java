package dev.shopflow.ingestion.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.shopflow.common.wire.Entity;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a sources file. Each source is checked on its own: one with a problem (an unknown entity, a
 * missing query or cursor, an inline password, a bad duration) is refused with a message naming the
 * source, the entity and the field, and the others are kept, so a service with one broken source still
 * serves the rest. A file that is not YAML at all refuses every source, with the parser's message.
 */
public final class SourcesFile {

    /** What a file gave: the usable sources, and a message per refused source. */
    public record Read(List<SourceDefinition> sources, List<String> refused) {
    }

    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Set<String> SOURCE_FIELDS = Set.of("name", "kind", "path", "url", "user", "password", "password_env",
            "password_file", "schedule", "batch_rows", "lookback", "timezone", "entities");
    private static final Set<String> MAPPING_FIELDS = Set.of("query", "cursor");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private SourcesFile() {
    }

    public static Read read(InputStream in, String file) {
        JsonNode root;
        try {
            root = YAML.readTree(in);
        } catch (IOException e) {
            return new Read(List.of(), List.of(file + ": not a YAML sources file: " + e.getMessage().lines().findFirst().orElse("")));
        }
        List<SourceDefinition> sources = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        JsonNode list = root == null ? null : root.get("sources");
        if (list == null || !list.isArray()) {
            return new Read(List.of(), List.of(file + ": the file must have a list 'sources'"));
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode s = list.get(i);
            String name = text(s, "name");
            String where = file + ": source " + (name == null ? "#" + (i + 1) : "'" + name + "'");
            List<String> problems = new ArrayList<>();
            SourceDefinition d = source(s, name, problems);
            if (name != null && !names.add(name)) {
                problems.add("the name is used twice");
            }
            if (problems.isEmpty()) {
                sources.add(d);
            } else {
                refused.add(where + ": " + String.join("; ", problems));
            }
        }
        return new Read(List.copyOf(sources), List.copyOf(refused));
    }

    private static SourceDefinition source(JsonNode s, String name, List<String> problems) {
        if (s == null || !s.isObject()) {
            problems.add("a source is a mapping of fields");
            return null;
        }
        for (Iterator<String> it = s.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!SOURCE_FIELDS.contains(field)) {
                problems.add("unknown field '" + field + "'");
            }
        }
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add("field 'name' must be 1-63 characters of a-z 0-9 _ - starting with a letter");
        }
        String kind = Optional.ofNullable(text(s, "kind")).orElse("jdbc");
        String url = text(s, "url");
        String path = text(s, "path");
        if (kind.equals("files")) {
            if (path == null || path.isBlank()) {
                problems.add("field 'path' is required for kind files (a folder of CSV, NDJSON or Parquet files)");
            } else if (path.contains("'")) {
                problems.add("field 'path' must not contain a quote");
            }
            if (url != null) {
                problems.add("field 'url' is for kind jdbc; a files source reads its 'path'");
            }
        } else if (!kind.equals("jdbc")) {
            problems.add("field 'kind': '" + kind + "' is not supported (jdbc, files)");
        } else if (url == null || !(url.startsWith("jdbc:postgresql:") || url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:"))) {
            problems.add("field 'url' must be a jdbc:postgresql:, jdbc:mariadb: or jdbc:mysql: URL");
        } else if (url.toLowerCase(java.util.Locale.ROOT).contains("password=")) {
            problems.add("field 'url' must not hold a password: use password_env or password_file");
        }
        if (s.has("password")) {
            problems.add("field 'password': credentials are never written in the file; use password_env (an "
                    + "environment variable, e.g. from a Secret key) or password_file (a mounted Secret)");
        }
        String passwordEnv = text(s, "password_env");
        String passwordFile = text(s, "password_file");
        if (passwordEnv != null && passwordFile != null) {
            problems.add("fields 'password_env' and 'password_file': give one");
        }
        int batchRows = s.has("batch_rows") ? s.get("batch_rows").asInt(-1) : 5000;
        if (batchRows < 1 || batchRows > 100_000 || (s.has("batch_rows") && !s.get("batch_rows").isIntegralNumber())) {
            problems.add("field 'batch_rows' must be a whole number from 1 to 100000");
        }
        Duration lookback = Duration.ZERO;
        if (s.has("lookback")) {
            try {
                lookback = parseDuration(text(s, "lookback"));
            } catch (RuntimeException e) {
                problems.add("field 'lookback' must be a duration such as 30s, 10m or 1h");
            }
        }
        ZoneId zone = ZoneId.of("UTC");
        if (s.has("timezone")) {
            try {
                zone = ZoneId.of(text(s, "timezone"));
            } catch (RuntimeException e) {
                problems.add("field 'timezone' must be a zone id such as UTC or Europe/Berlin");
            }
        }
        Optional<String> schedule = Optional.ofNullable(text(s, "schedule"));
        Map<Entity, SourceDefinition.Mapping> mappings = new EnumMap<>(Entity.class);
        JsonNode entities = s.get("entities");
        if (entities == null || !entities.isObject() || entities.isEmpty()) {
            problems.add("field 'entities' must map at least one entity to its query and cursor");
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = entities.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                Entity entity = entity(e.getKey());
                if (entity == null) {
                    problems.add("entity '" + e.getKey() + "' is unknown (customers, products, orders, order_items, payments)");
                    continue;
                }
                mapping(entity, e.getValue(), problems).ifPresent(m -> mappings.put(entity, m));
            }
        }
        return new SourceDefinition(name, kind, path, url, text(s, "user"), passwordEnv, passwordFile, schedule, batchRows, lookback,
                zone, Map.copyOf(mappings));
    }

    private static Optional<SourceDefinition.Mapping> mapping(Entity entity, JsonNode m, List<String> problems) {
        String where = "entity '" + entity.wireName() + "': ";
        if (m == null || !m.isObject()) {
            problems.add(where + "give 'query' and 'cursor'");
            return Optional.empty();
        }
        for (Iterator<String> it = m.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!MAPPING_FIELDS.contains(field)) {
                problems.add(where + "unknown field '" + field + "'");
            }
        }
        String query = text(m, "query");
        String cursor = text(m, "cursor");
        int before = problems.size();
        if (query == null || query.isBlank()) {
            problems.add(where + "field 'query' is required (a SELECT whose columns are the entity's fields)");
        } else if (query.strip().endsWith(";")) {
            problems.add(where + "field 'query' must be one statement without a trailing ';'");
        }
        if (cursor == null || !IDENTIFIER.matcher(cursor).matches()) {
            problems.add(where + "field 'cursor' must name one result column (e.g. updated_at)");
        }
        return problems.size() == before ? Optional.of(new SourceDefinition.Mapping(entity, query.strip(), cursor))
                : Optional.empty();
    }

    private static Entity entity(String name) {
        for (Entity e : Entity.values()) {
            if (e.wireName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** 30s, 10m, 2h, 1d, or ISO-8601 (PT10M). */
    static Duration parseDuration(String text) {
        String t = text.strip();
        if (t.startsWith("P") || t.startsWith("p")) {
            return Duration.parse(t);
        }
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        Duration d = switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException(text);
        };
        if (d.isNegative()) {
            throw new IllegalArgumentException(text);
        }
        return d;
    }

    /** The fields an entity's mapping must give (its required fields). */
    public static List<String> requiredFields(Entity entity) {
        return RecordSchema.of(entity).requiredFieldNames();
    }
}
