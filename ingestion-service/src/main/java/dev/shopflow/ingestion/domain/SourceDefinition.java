package dev.shopflow.ingestion.domain;

import dev.shopflow.common.wire.Entity;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A source of a sources file (docs/sources.md): a JDBC database ({@code kind} jdbc, {@code url}) or a
 * folder of CSV, NDJSON or Parquet files ({@code kind} files, {@code path}, read with DuckDB's SQL)
 * and, per ShopFlow entity, the mapping query whose result columns are that entity's fields. Credentials are references, never values:
 * {@code passwordEnv} names an environment variable (in Kubernetes, from a Secret key), {@code
 * passwordFile} a file (a mounted Secret).
 *
 * @param lookback how far before the last loaded cursor a run starts reading (late commits of
 *     timestamp cursors)
 * @param timezone the zone of the source's timestamps without one
 */
public record SourceDefinition(String name, String kind, String path, String url, String user, String passwordEnv, String passwordFile,
        Optional<String> schedule, int batchRows, Duration lookback, ZoneId timezone, Map<Entity, Mapping> mappings,
        Optional<Capture> capture) {

    /**
     * One entity's mapping: a query, the column that orders its rows for incremental runs, and the source
     * tables whose changes it follows under change data capture.
     */
    public record Mapping(Entity entity, String query, String cursor, List<Follow> follows) {

        public Mapping(Entity entity, String query, String cursor) {
            this(entity, query, cursor, List.of());
        }
    }

    /**
     * A source table a mapping reads: when a row of {@code table} changes, the mapping is read again for
     * the rows whose result column {@code match} equals the changed row's {@code column}.
     */
    public record Follow(String table, String column, String match) {
    }

    /**
     * Change data capture of a PostgreSQL source (docs/sources.md#change-data-capture): the replication
     * slot and publication it reads, whether ShopFlow may create the publication, and how long changes
     * gather before they are read again through the mappings and loaded.
     */
    public record Capture(String slot, String publication, boolean createPublication, Duration interval) {
    }

    /** The password, read from where the definition points; never stored in the definition. */
    public String password() {
        if (passwordEnv != null) {
            String value = System.getenv(passwordEnv);
            if (value == null) {
                throw new IllegalStateException("source " + name + ": environment variable " + passwordEnv + " is not set");
            }
            return value;
        }
        if (passwordFile != null) {
            try {
                return java.nio.file.Files.readString(java.nio.file.Path.of(passwordFile)).strip();
            } catch (java.io.IOException e) {
                throw new IllegalStateException("source " + name + ": cannot read password_file " + passwordFile + ": "
                        + e.getMessage());
            }
        }
        return null;
    }

    public boolean files() {
        return "files".equals(kind);
    }

    /** Where it reads: the URL of a database, the folder of files. */
    public String location() {
        return files() ? path : url;
    }

    @Override
    public String toString() {
        // no credentials in logs: the references only
        return "source " + name + " (" + location() + ", entities " + mappings.keySet() + ")";
    }
}
