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
            "password_file", "schedule", "batch_rows", "lookback", "timezone", "entities", "capture");
    private static final Set<String> MAPPING_FIELDS = Set.of("query", "cursor", "follows");
    private static final Set<String> CAPTURE_FIELDS = Set.of("slot", "publication", "create_publication", "interval");
    private static final Set<String> FOLLOW_FIELDS = Set.of("table", "column", "match");
    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}\\.[A-Za-z_][A-Za-z0-9_]{0,62}");
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
        Optional<SourceDefinition.Capture> capture = capture(s.get("capture"), name, url, problems);
        if (capture.isPresent()) {
            for (SourceDefinition.Mapping m : mappings.values()) {
                if (m.follows().isEmpty()) {
                    problems.add("entity '" + m.entity().wireName() + "': field 'follows' is required with 'capture' "
                            + "(the source tables whose changes this mapping reads again)");
                }
            }
        }
        return new SourceDefinition(name, kind, path, url, text(s, "user"), passwordEnv, passwordFile, schedule, batchRows, lookback,
                zone, Map.copyOf(mappings), capture);
    }

    private static Optional<SourceDefinition.Capture> capture(JsonNode c, String name, String url, List<String> problems) {
        if (c == null || c.isNull()) {
            return Optional.empty();
        }
        int before = problems.size();
        if (!c.isObject()) {
            problems.add("field 'capture' is a mapping (slot, publication, create_publication, interval)");
            return Optional.empty();
        }
        for (Iterator<String> it = c.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!CAPTURE_FIELDS.contains(field)) {
                problems.add("capture: unknown field '" + field + "'");
            }
        }
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            problems.add("field 'capture': change data capture is for PostgreSQL sources (jdbc:postgresql: URLs)");
        }
        String fallback = "shopflow_" + (name == null ? "" : name.replace('-', '_'));
        String slot = Optional.ofNullable(text(c, "slot")).orElse(fallback);
        String publication = Optional.ofNullable(text(c, "publication")).orElse(fallback);
        if (!IDENTIFIER.matcher(slot).matches() || !slot.equals(slot.toLowerCase(java.util.Locale.ROOT))) {
            problems.add("capture: field 'slot' must be 1-63 characters of a-z 0-9 _ (a replication slot's name)");
        }
        if (!IDENTIFIER.matcher(publication).matches()) {
            problems.add("capture: field 'publication' must be an identifier");
        }
        boolean create = !c.has("create_publication") || c.get("create_publication").asBoolean(true);
        if (c.has("create_publication") && !c.get("create_publication").isBoolean()) {
            problems.add("capture: field 'create_publication' must be true or false");
        }
        Duration interval = Duration.ofSeconds(2);
        if (c.has("interval")) {
            try {
                interval = parseDuration(text(c, "interval"));
                if (interval.toMillis() < 100 || interval.compareTo(Duration.ofSeconds(5)) > 0) {
                    problems.add("capture: field 'interval' must be from 100ms to 5s");
                }
            } catch (RuntimeException e) {
                problems.add("capture: field 'interval' must be a duration such as 2s");
            }
        }
        return problems.size() == before ? Optional.of(new SourceDefinition.Capture(slot, publication, create, interval))
                : Optional.empty();
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
        List<SourceDefinition.Follow> follows = follows(m.get("follows"), where, problems);
        return problems.size() == before ? Optional.of(new SourceDefinition.Mapping(entity, query.strip(), cursor, follows))
                : Optional.empty();
    }

    private static List<SourceDefinition.Follow> follows(JsonNode list, String where, List<String> problems) {
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray() || list.isEmpty()) {
            problems.add(where + "field 'follows' is a list of {table, column, match}");
            return List.of();
        }
        List<SourceDefinition.Follow> out = new ArrayList<>();
        for (JsonNode f : list) {
            for (Iterator<String> it = f.fieldNames(); it.hasNext();) {
                String field = it.next();
                if (!FOLLOW_FIELDS.contains(field)) {
                    problems.add(where + "follows: unknown field '" + field + "'");
                }
            }
            String table = text(f, "table");
            String column = text(f, "column");
            String match = text(f, "match");
            if (table == null || !TABLE.matcher(table).matches()) {
                problems.add(where + "follows: field 'table' must be schema.table");
            }
            if (column == null || !IDENTIFIER.matcher(column).matches()) {
                problems.add(where + "follows: field 'column' must name a column of " + table);
            }
            if (match == null || !IDENTIFIER.matcher(match).matches()) {
                problems.add(where + "follows: field 'match' must name a result column of the mapping");
            }
            out.add(new SourceDefinition.Follow(table, column, match));
        }
        return List.copyOf(out);
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

    /** 500ms, 30s, 10m, 2h, 1d, or ISO-8601 (PT10M). */
    static Duration parseDuration(String text) {
        String t = text.strip();
        if (t.startsWith("P") || t.startsWith("p")) {
            return Duration.parse(t);
        }
        if (t.endsWith("ms")) {
            long ms = Long.parseLong(t.substring(0, t.length() - 2));
            if (ms < 0) {
                throw new IllegalArgumentException(text);
            }
            return Duration.ofMillis(ms);
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
