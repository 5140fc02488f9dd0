package dev.shopflow.transform.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopflow.common.testing.EmbeddedPostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/data-dictionary.md is generated from the database's comments on the warehouse, the marts and the
 * bi views.
 * Regenerate it with {@code ./mvnw -pl transform-service test -Dtest=DataDictionaryTests -Dshopflow.write-data-dictionary=true}
 * (shopflow-common installed first); without the property this test fails when the file is stale.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES,
        initArgs = {@ResourceArg(name = EmbeddedPostgresResource.OWNERS, value = "ingestion-service"),
                @ResourceArg(name = "database-of", value = "WarehouseBuildTests")})
class DataDictionaryTests {

    static final Path FILE = Path.of("..", "docs", "data-dictionary.md");
    static final String COLUMNS = "SELECT n.nspname, c.relname, obj_description(c.oid, 'pg_class'), a.attname, "
            + "format_type(a.atttypid, a.atttypmod), a.attnotnull, col_description(c.oid, a.attnum) "
            + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
            + "WHERE n.nspname IN ('warehouse', 'marts', 'bi') AND c.relkind IN ('r', 'p', 'v') AND NOT c.relispartition "
            + "ORDER BY n.nspname DESC, c.relname, a.attnum";

    @Inject
    AgroalDataSource dataSource;

    record Column(String table, String tableComment, String name, String type, boolean notNull, String comment) {
    }

    List<Column> columns() throws Exception {
        List<Column> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(COLUMNS)) {
            while (rs.next()) {
                out.add(new Column(rs.getString(1) + "." + rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getBoolean(6), rs.getString(7)));
            }
        }
        return out;
    }

    @Test
    void shouldCommentEveryTableAndColumnOfTheWarehouseMartsAndBiViews() throws Exception {
        List<String> missing = columns().stream()
                .filter(col -> col.tableComment() == null || col.comment() == null || col.comment().isBlank())
                .map(col -> col.table() + "." + col.name()).toList();
        assertThat(missing).as("tables or columns without a COMMENT").isEmpty();
    }

    @Test
    void shouldKeepDocsDataDictionaryInStepWithTheDatabase() throws Exception {
        String rendered = render(columns());
        if (Boolean.getBoolean("shopflow.write-data-dictionary")) {
            Files.writeString(FILE, rendered);
        }
        assertThat(Files.exists(FILE)).as("%s exists", FILE).isTrue();
        assertThat(Files.readString(FILE)).as("docs/data-dictionary.md is stale: regenerate it (see this test's comment)")
                .isEqualTo(rendered);
    }

    static String render(List<Column> columns) {
        StringBuilder md = new StringBuilder("# Data dictionary\n\n"
                + "Generated from the database's comments on the `warehouse` and `marts` schemas and the `bi` views\n"
                + "by `DataDictionaryTests` (transform-service); do not edit by hand. Marts hold one set of rows per\n"
                + "mart version; analytics reads the latest published one, and so do the `bi` views that BI tools read\n"
                + "as the role `shopflow_bi` (docs/analytics.md#bi-tools).\n");
        String table = null;
        for (Column c : columns) {
            if (!c.table().equals(table)) {
                table = c.table();
                md.append("\n## ").append(table).append("\n\n").append(c.tableComment() == null ? "" : c.tableComment())
                        .append("\n\n| column | type | null | description |\n|---|---|---|---|\n");
            }
            md.append("| ").append(c.name()).append(" | ").append(c.type()).append(" | ").append(c.notNull() ? "no" : "yes")
                    .append(" | ").append(c.comment() == null ? "" : c.comment().replace("|", "\\|")).append(" |\n");
        }
        return md.toString();
    }
}
