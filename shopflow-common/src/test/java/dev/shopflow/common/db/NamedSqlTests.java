package dev.shopflow.common.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Named parameters bound on a real PostgreSQL: repeated names, casts left alone, typed nulls. */
class NamedSqlTests {

    static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @Test
    void namesBecomePositionsAndCastsStay() {
        NamedSql sql = NamedSql.of("SELECT :from::date, :to, x::text FROM t WHERE a BETWEEN :from AND :to");
        assertThat(sql.sql()).isEqualTo("SELECT ?::date, ?, x::text FROM t WHERE a BETWEEN ? AND ?");
    }

    @Test
    void everyOccurrenceIsBoundAndANullIsTypedByItsCast() throws Exception {
        NamedSql sql = NamedSql.of("SELECT :day::date + 1, :day::date, (:missing::date IS NULL), :n::int * 2");
        Map<String, Object> values = new HashMap<>();
        values.put("day", LocalDate.of(2025, 3, 3));
        values.put("missing", null);
        values.put("n", 21);
        try (Connection c = postgres.getPostgresDatabase().getConnection(); PreparedStatement ps = c.prepareStatement(sql.sql())) {
            sql.bind(ps, values);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getObject(1, LocalDate.class)).isEqualTo(LocalDate.of(2025, 3, 4));
                assertThat(rs.getObject(2, LocalDate.class)).isEqualTo(LocalDate.of(2025, 3, 3));
                assertThat(rs.getBoolean(3)).isTrue();
                assertThat(rs.getInt(4)).isEqualTo(42);
            }
        }
    }

    @Test
    void aNameWithoutAValueIsAProgrammingErrorNamingIt() throws Exception {
        NamedSql sql = NamedSql.of("SELECT :a::int + :b::int");
        try (Connection c = postgres.getPostgresDatabase().getConnection(); PreparedStatement ps = c.prepareStatement(sql.sql())) {
            assertThatThrownBy(() -> sql.bind(ps, Map.of("a", 1))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(":b");
        }
    }

    @Test
    void onlyTheGivenNamesBecomeParametersInUserWrittenSql() throws Exception {
        NamedSql sql = NamedSql.of("SELECT 'at 10:30 :note', :version::int, :versions, :version::int + 1", java.util.Set.of("version"));
        assertThat(sql.sql()).isEqualTo("SELECT 'at 10:30 :note', ?::int, :versions, ?::int + 1");
        assertThat(sql.names()).containsExactly("version", "version");
        assertThat(sql.values(Map.of("version", 7L, "unused", "x"))).containsExactly(7L, 7L);
    }

    @Test
    void aTextArrayBindsAsAPostgresqlArray() throws Exception {
        NamedSql sql = NamedSql.of("SELECT 'b' = ANY (:values), 'z' <> ALL (:values)");
        try (Connection c = postgres.getPostgresDatabase().getConnection(); PreparedStatement ps = c.prepareStatement(sql.sql())) {
            sql.bind(ps, Map.of("values", new String[] {"a", "b", "it's"}));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getBoolean(1)).isTrue();
                assertThat(rs.getBoolean(2)).isTrue();
            }
        }
    }

    @Test
    void inlineWritesLiteralsOnlyForTheGivenNames() {
        NamedSql sql = NamedSql.of("CREATE TEMP TABLE t AS SELECT :run AS run, ':run' AS text, :day::date, x::text, :other", java.util.Set.of("run", "day"));
        assertThat(sql.inline(Map.of("run", 42L, "day", LocalDate.of(2026, 1, 2)), v -> v instanceof LocalDate ? "DATE '" + v + "'" : v.toString()))
                .isEqualTo("CREATE TEMP TABLE t AS SELECT 42 AS run, '42' AS text, DATE '2026-01-02'::date, x::text, :other");
        assertThatThrownBy(() -> sql.inline(Map.of("run", 1L), Object::toString)).hasMessageContaining(":day");
    }
}
