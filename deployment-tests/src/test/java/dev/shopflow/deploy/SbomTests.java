package dev.shopflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ./mvnw package} leaves a CycloneDX SBOM beside each service's app (the reactor packages the
 * services before these tests run): the service itself, and its runtime dependencies with versions,
 * package URLs and hashes; no test-only dependency.
 */
class SbomTests {

    static final Path ROOT = HelmChartTests.CHART.getParent().getParent();

    @ParameterizedTest
    @ValueSource(strings = {"analytics-api", "generator-service", "ingestion-service", "transform-service", "quality-service"})
    void everyServiceHasAnSbomOfWhatItRuns(String service) throws Exception {
        Path sbom = ROOT.resolve(service + "/target/" + service + "-sbom.json");
        assertThat(sbom).as("run ./mvnw package first").exists();
        JsonNode bom = new ObjectMapper().readTree(sbom.toFile());
        assertThat(bom.path("bomFormat").asText()).isEqualTo("CycloneDX");
        assertThat(bom.path("specVersion").asText()).isEqualTo("1.6");
        assertThat(bom.path("metadata").path("component").path("name").asText()).isEqualTo(service);
        assertThat(bom.path("metadata").path("component").path("type").asText()).isEqualTo("application");
        List<String> purls = new ArrayList<>();
        for (JsonNode c : bom.path("components")) {
            assertThat(c.path("version").asText()).as(c.toString()).isNotEmpty();
            assertThat(c.path("hashes")).as(c.path("purl").asText()).isNotEmpty();
            purls.add(c.path("purl").asText());
        }
        assertThat(purls).anyMatch(p -> p.startsWith("pkg:maven/io.quarkus/quarkus-core@3.37."))
                .anyMatch(p -> p.startsWith("pkg:maven/org.postgresql/postgresql@"))
                .anyMatch(p -> p.startsWith("pkg:maven/dev.shopflow/shopflow-common@"))
                .noneMatch(p -> p.contains("/junit-jupiter") || p.contains("/assertj-core") || p.contains("/rest-assured"));
    }
}
