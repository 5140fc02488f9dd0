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

    /**
     * Every kind the contract lists has a meaningful shipped default; the fact-to-staging reconciliation,
     * computed on what the builds saw (see docs/quality-checks.md), blocks a publish like the others.
     */
    @Test
    void shouldShipADefaultOfEveryKind() {
        var in = getClass().getClassLoader().getResourceAsStream("checks/default-checks.yaml");
        List<CheckDefinition> checks = ChecksFile.read(in, "default");
        assertThat(checks).extracting(CheckDefinition::kind).containsAll(ChecksFile.KINDS.keySet());
        assertThat(ChecksFile.KINDS).hasSize(11);
        assertThat(checks).filteredOn(c -> c.name().equals("fact_revenue_reconciles_with_staging")).singleElement()
                .satisfies(c -> assertThat(c.severity()).isEqualTo("error"));
        assertThat(checks).filteredOn(c -> c.kind().equals("range")).allSatisfy(c -> assertThat(c.severity()).isEqualTo("error"));
        assertThat(checks).filteredOn(c -> c.kind().equals("row_count")).extracting(CheckDefinition::table)
                .containsExactlyInAnyOrder("marts.mart_daily_sales", "marts.mart_daily_category_sales", "marts.mart_daily_channel_sales",
                        "marts.mart_product_daily", "marts.mart_customer_daily", "marts.mart_payment_daily", "marts.mart_customer",
                        "marts.mart_product", "marts.mart_cohort");
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
        CheckDefinition c = read("checks:\n  - name: u\n    kind: unique\n    layer: marts\n    table: marts.mart_daily_sales\n"
                + "    columns: [order_date]\n    versioned: true\n    severity: error\n").get(0);
        CheckSql sql = CheckSql.compile(c, 7L);
        assertThat(sql.countSql()).contains("GROUP BY t.order_date HAVING count(*) > 1").contains("t.version_from <= ? AND t.version_to > ?");
        assertThat(sql.sampleSql()).contains("LIMIT 20");
        assertThat(sql.parameters()).containsExactly(7L, 7L);
    }

    @Test
    void shouldNameTheLineOfEachInvalidCheckAndWhatItLacks() {
        assertThatThrownBy(() -> read("checks:\n"
                + "  - name: fine\n    kind: row_count\n    layer: staging\n    table: staging.orders\n    min_rows: 1\n    severity: warn\n"
                + "  - name: no_values\n    kind: accepted_values\n    layer: staging\n    table: staging.orders\n"
                + "    column: status\n    severity: error\n"
                + "  - name: no_grace_column\n    kind: relationships\n    layer: staging\n    table: staging.orders\n"
                + "    column: customer_id\n    to: staging.customers\n    grace: soon\n    severity: warn\n"))
                .isInstanceOf(ChecksFile.InvalidChecksFile.class)
                .hasMessageContaining("line 8 (check 'no_values'): kind accepted_values needs 'values'")
                .hasMessageContaining("line 14 (check 'no_grace_column'): grace must be a duration")
                .hasMessageNotContaining("'fine'");
    }

    @Test
    void shouldRefuseAnUnknownFieldNamingItsLine() {
        assertThatThrownBy(() -> read("checks:\n  - name: a\n    kind: unique\n    layer: staging\n"
                + "    table: staging.orders\n    colums: [order_id]\n    severity: error\n"))
                .isInstanceOf(ChecksFile.InvalidChecksFile.class).hasMessageContaining("line 2")
                .hasMessageContaining("colums");
    }

    @Test
    void shouldRefuseAFileWithoutAChecksList() {
        assertThatThrownBy(() -> read("rules: []\n")).hasMessageContaining("unknown top-level key 'rules'");
        assertThatThrownBy(() -> read("checks: 3\n")).hasMessageContaining("'checks' must be a list");
    }
}
