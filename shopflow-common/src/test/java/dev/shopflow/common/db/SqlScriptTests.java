package dev.shopflow.common.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlScriptTests {

    @Test
    void splitsAtSemicolonsThatEndALineAndDropsCommentLines() {
        List<String> statements = SqlScript.load("sql/script-splitting.sql");
        assertThat(statements).containsExactly(
                "CREATE TEMP TABLE t (a text, b int)",
                "INSERT INTO t VALUES ('x;y', 1), ('semicolon; then text', 2)",
                "INSERT INTO t\nSELECT 'z', 3\nWHERE true",
                "SELECT count(*) FROM t");
    }

    @Test
    void aMissingResourceIsNamed() {
        assertThatThrownBy(() -> SqlScript.load("sql/nowhere.sql")).hasMessageContaining("sql/nowhere.sql");
    }
}
