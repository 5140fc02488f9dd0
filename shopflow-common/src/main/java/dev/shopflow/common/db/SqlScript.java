package dev.shopflow.common.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A .sql resource kept next to the code that runs it, split into statements on ";" at line end.
 * Meant for plain DML/DDL scripts (no function bodies).
 */
public final class SqlScript {

    private SqlScript() {
    }

    public static List<String> load(String resource) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("SQL resource not found: " + resource);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String withoutComments = text.replaceAll("(?m)^\\s*--.*$", "");
            return Arrays.stream(withoutComments.split(";\\s*(\\n|$)"))
                    .map(String::strip).filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
