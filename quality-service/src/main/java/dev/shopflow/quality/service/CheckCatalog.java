package dev.shopflow.quality.service;

import dev.shopflow.quality.config.QualityConfig;
import dev.shopflow.quality.domain.CheckDefinition;
import dev.shopflow.quality.domain.ChecksFile;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The declared checks, read once at start-up: an invalid file stops the service with its message. */
@Startup
@ApplicationScoped
public class CheckCatalog {

    static final String DEFAULT_CHECKS = "checks/default-checks.yaml";

    private final List<CheckDefinition> checks;

    CheckCatalog(QualityConfig config) {
        this.checks = config.checksFile().filter(p -> !p.isBlank()).map(CheckCatalog::fromFile)
                .orElseGet(CheckCatalog::defaults);
    }

    public List<CheckDefinition> all() {
        return checks;
    }

    public List<CheckDefinition> ofLayer(String layer) {
        return checks.stream().filter(c -> c.layer().equals(layer)).toList();
    }

    private static List<CheckDefinition> fromFile(String path) {
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            return ChecksFile.read(in, path);
        } catch (IOException e) {
            throw new ChecksFile.InvalidChecksFile("Cannot read checks file " + path + ": " + e.getMessage());
        }
    }

    private static List<CheckDefinition> defaults() {
        try (InputStream in = CheckCatalog.class.getClassLoader().getResourceAsStream(DEFAULT_CHECKS)) {
            return ChecksFile.read(in, DEFAULT_CHECKS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
