package dev.shopflow.quality.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChecksFileTests {

    static List<CheckDefinition> read(String yaml) {
        return ChecksFile.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "checks.yaml");
    }

    @Test
    void shouldReadTheShippedDefaults() {
        var in = getClass().getClassLoader().getResourceAsStream("checks/default-checks.yaml");
        assertThat(ChecksFile.read(in, "default")).extracting(CheckDefinition::layer)
                .contains("staging", "warehouse", "marts");
    }

    @Test
    void shouldNameTheLineOfAYamlSyntaxError() {
        assertThatThrownBy(() -> read("checks:\n  - name: a\n    kind: [unclosed\n"))
                .isInstanceOf(ChecksFile.InvalidChecksFile.class).hasMessageContaining("checks.yaml line");
    }

    @Test
    void shouldNameTheCheckAndEveryProblem() {
        assertThatThrownBy(() -> read("checks:\n  - name: bad_one\n    kind: telepathy\n    layer: staging\n"
                + "    table: staging.orders\n    columns: [order_id]\n    severity: fatal\n"))
                .isInstanceOf(ChecksFile.InvalidChecksFile.class)
                .hasMessageContaining("'bad_one'").hasMessageContaining("unknown kind 'telepathy'")
                .hasMessageContaining("severity");
    }

    @Test
    void shouldRefuseATableNameThatIsNotAnIdentifier() {
        assertThatThrownBy(() -> read("checks:\n  - name: inject\n    kind: unique\n    layer: staging\n"
                + "    table: \"staging.orders; DROP TABLE x\"\n    columns: [order_id]\n    severity: error\n"))
                .hasMessageContaining("table must be schema.table");
    }

    @Test
    void shouldCompileUniqueToAGroupByScopedToTheVersion() {
        CheckDefinition c = new CheckDefinition("u", "unique", "marts", "marts.mart_daily_sales", List.of("order_date"),
                "error", null, true);
        CheckSql sql = CheckSql.compile(c, true);
        assertThat(sql.countSql()).contains("GROUP BY order_date HAVING count(*) > 1").contains("version = ?");
        assertThat(sql.sampleSql()).contains("LIMIT 20");
    }
}
