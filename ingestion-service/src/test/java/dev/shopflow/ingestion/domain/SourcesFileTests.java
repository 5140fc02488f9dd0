package dev.shopflow.ingestion.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopflow.common.wire.Entity;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SourcesFileTests {

    static SourcesFile.Read read(String yaml) {
        return SourcesFile.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "sources.yaml");
    }

    @Test
    void aFileThatIsNotYamlRefusesEverySourceWithTheParsersMessage() {
        SourcesFile.Read read = read("sources: [ {name: a, url: ");
        assertThat(read.sources()).isEmpty();
        assertThat(read.refused()).singleElement().asString().startsWith("sources.yaml: not a YAML sources file");
        assertThat(read("just: text").refused()).singleElement().asString().contains("a list 'sources'");
    }

    @Test
    void eachSourceIsCheckedOnItsOwnNamingSourceEntityAndField() {
        SourcesFile.Read read = read("""
                sources:
                  - name: good
                    url: jdbc:mariadb://localhost:3306/shop
                    password_env: SHOP_DB_PASSWORD
                    lookback: 10m
                    entities:
                      orders: {query: "SELECT * FROM o", cursor: updated_at}
                  - name: Bad Name
                    url: jdbc:oracle:thin:@x
                    batch_rows: 1.5
                    lookback: soon
                    timezone: Mars/Olympus
                    entities:
                      orders: {query: "SELECT 1;", cursor: "a b"}
                  - name: good
                    url: jdbc:postgresql://h/db?password=x
                    entities:
                      payments: {query: "SELECT 1", cursor: c, extra: 1}
                """);
        assertThat(read.sources()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("good");
            assertThat(s.lookback()).isEqualTo(Duration.ofMinutes(10));
            assertThat(s.mappings()).containsOnlyKeys(Entity.ORDERS);
            assertThat(s.toString()).doesNotContain("SHOP_DB_PASSWORD");
        });
        assertThat(read.refused()).hasSize(2);
        assertThat(read.refused().get(0)).contains("source 'Bad Name'").contains("field 'name'").contains("field 'url'")
                .contains("field 'batch_rows'").contains("field 'lookback'").contains("field 'timezone'")
                .contains("entity 'orders': field 'query' must be one statement").contains("entity 'orders': field 'cursor'");
        assertThat(read.refused().get(1)).contains("source 'good'").contains("must not hold a password")
                .contains("entity 'payments': unknown field 'extra'").contains("the name is used twice");
    }

    @Test
    void aCaptureIsForPostgreSqlAndEveryMappingSaysWhichTablesItFollows() {
        SourcesFile.Read read = read("""
                sources:
                  - name: shop-cdc
                    url: jdbc:postgresql://db:5432/shop
                    password_env: SHOP_DB_PASSWORD
                    capture: {interval: 500ms, create_publication: false}
                    entities:
                      orders:
                        query: "SELECT 'O-' || id AS order_id, id AS src_id FROM o"
                        cursor: updated_at
                        follows: [{table: shop.orders, column: id, match: src_id}]
                  - name: maria
                    url: jdbc:mariadb://db:3306/shop
                    capture: {slot: "Bad-Slot", interval: 1h, extra: 1}
                    entities:
                      orders: {query: "SELECT 1", cursor: c}
                      payments:
                        query: "SELECT 1"
                        cursor: c
                        follows: [{table: payments, column: "a b"}]
                """);
        assertThat(read.sources()).singleElement().satisfies(s -> {
            assertThat(s.capture()).hasValueSatisfying(c -> {
                assertThat(c.slot()).as("named after the source").isEqualTo("shopflow_shop_cdc");
                assertThat(c.publication()).isEqualTo("shopflow_shop_cdc");
                assertThat(c.createPublication()).isFalse();
                assertThat(c.interval()).isEqualTo(Duration.ofMillis(500));
            });
            assertThat(s.mappings().get(Entity.ORDERS).follows()).singleElement()
                    .isEqualTo(new SourceDefinition.Follow("shop.orders", "id", "src_id"));
        });
        assertThat(read.refused()).singleElement().asString().contains("source 'maria'")
                .contains("change data capture is for PostgreSQL sources").contains("capture: unknown field 'extra'")
                .contains("capture: field 'slot'").contains("capture: field 'interval' must be from 100ms to 5s")
                .contains("follows: field 'table' must be schema.table").contains("follows: field 'column'")
                .contains("follows: field 'match'");
    }
}
