package dev.shopflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's database init (files/db/init-roles.sh with roles.sql), run with psql against a real
 * PostgreSQL that checks passwords (scram-sha-256 over TCP, as in the postgres image): every service
 * role logs in with its password from the environment and no other, the script can run again, and a
 * missing password stops it before anything is created. What each role may do is proven end to end
 * (the end-to-end tests run the services as these roles and tries the forbidden writes).
 */
class DatabaseRolesInitTests {

    static final Path SCRIPT = HelmChartTests.CHART.resolve("files/db/init-roles.sh");
    static final List<String> SERVICES = List.of("generator", "ingestion", "transform", "quality", "analytics");

    @TempDir
    static Path data;
    static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().setDataDirectory(data.resolve("pg")).setCleanDataDirectory(true).start();
        // the superuser keeps trust on loopback (the test's own connection); everyone else needs a password
        Files.writeString(data.resolve("pg/pg_hba.conf"), """
                host all postgres 127.0.0.1/32 trust
                host all postgres ::1/128 trust
                host all all 127.0.0.1/32 scram-sha-256
                host all all ::1/128 scram-sha-256
                """);
        try (Connection c = admin(); Statement st = c.createStatement()) {
            st.execute("SELECT pg_reload_conf()");
        }
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void shouldCreateEveryRoleWithItsOwnPasswordAndRunAgain() throws Exception {
        Map<String, String> env = passwords("it's a \"pass\" word $HOME :'pw' ");
        Run first = initRoles(env);
        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(first.output()).doesNotContain("it's a").contains("roles shopflow_{generator");
        for (String service : SERVICES) {
            String password = env.get("SHOPFLOW_DB_PASSWORD_" + service.toUpperCase());
            try (Connection c = DriverManager.getConnection(url(), "shopflow_" + service, password);
                    Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT current_user")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("shopflow_" + service);
            }
            assertThat(sqlState(() -> DriverManager.getConnection(url(), "shopflow_" + service, password + "x").close()))
                    .as("a wrong password for %s", service).isEqualTo("28P01");
        }
        try (Connection c = admin(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT string_agg(nspname || '=' || pg_get_userbyid(nspowner), ',' ORDER BY nspname) "
                        + "FROM pg_namespace WHERE nspname IN ('raw','quarantine','staging','core','warehouse','marts','quality')")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("core=shopflow_transform,marts=shopflow_transform,quality=shopflow_quality,"
                    + "quarantine=shopflow_ingestion,raw=shopflow_ingestion,staging=shopflow_ingestion,warehouse=shopflow_transform");
        }

        // again (an operator re-running it, new passwords): same roles, the new passwords apply
        Map<String, String> rotated = passwords("rotated");
        Run second = initRoles(rotated);
        assertThat(second.exit()).as(second.output()).isZero();
        try (Connection c = DriverManager.getConnection(url(), "shopflow_analytics", rotated.get("SHOPFLOW_DB_PASSWORD_ANALYTICS"))) {
            assertThat(c.isValid(5)).isTrue();
        }
        assertThat(sqlState(() -> DriverManager.getConnection(url(), "shopflow_analytics", env.get("SHOPFLOW_DB_PASSWORD_ANALYTICS")).close()))
                .isEqualTo("28P01");
    }

    @Test
    void shouldStopBeforeCreatingAnythingWhenAPasswordIsMissing() throws Exception {
        Map<String, String> env = passwords("p");
        env.remove("SHOPFLOW_DB_PASSWORD_QUALITY");
        try (Connection c = admin(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE other");
        }
        env.put("PGDATABASE", "other");
        Run run = initRoles(env);
        assertThat(run.exit()).isNotZero();
        assertThat(run.output()).contains("SHOPFLOW_DB_PASSWORD_QUALITY is not set");
        try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "other"));
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_namespace WHERE nspname = 'staging'")) {
            rs.next();
            assertThat(rs.getLong(1)).as("nothing created").isZero();
        }
    }

    // --- helpers ----------------------------------------------------------------------------

    record Run(int exit, String output) {
    }

    interface SqlAction {
        void run() throws SQLException;
    }

    static Map<String, String> passwords(String prefix) {
        Map<String, String> env = new HashMap<>();
        for (String service : SERVICES) {
            env.put("SHOPFLOW_DB_PASSWORD_" + service.toUpperCase(), prefix + "-" + service);
        }
        return env;
    }

    static Run initRoles(Map<String, String> extra) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("PG") || k.startsWith("POSTGRES_") || k.startsWith("SHOPFLOW_"));
        env.put("PGHOST", "127.0.0.1");
        env.put("PGPORT", Integer.toString(postgres.getPort()));
        env.put("PGUSER", "postgres");
        env.put("PGDATABASE", "postgres");
        env.putAll(extra);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), output);
    }

    static String url() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
    }

    static Connection admin() throws SQLException {
        return DriverManager.getConnection(url(), "postgres", "");
    }

    static String sqlState(SqlAction action) {
        try {
            action.run();
            return "none";
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }
}
