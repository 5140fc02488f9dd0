package dev.shopflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The objects of other projects' CRDs, against those CRDs' own schemas: the Prometheus Operator's
 * ServiceMonitors, PodMonitor and PrometheusRule, CloudNativePG's Cluster and ScheduledBackup, as the
 * chart renders them in its variants, validated by the @kubernetes-models packages (npm, pinned by a
 * lock file) that carry the CRDs' OpenAPI schemas. A broken copy must fail, so the check is known to bite.
 * What this does not check: anything an operator decides at run time (whether a backup store is
 * reachable, whether CNPG accepts a role it did not create); docs/kubernetes.md says so.
 */
class OperatorSchemaTests {

    static final Path CHECKER = Path.of("src/test/operator-schema").toAbsolutePath();
    static final Path WORK = Path.of("target/operator-schema").toAbsolutePath();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void installTheSchemas() throws Exception {
        Files.createDirectories(WORK);
        for (String f : List.of("package.json", "package-lock.json", "validate.mjs")) {
            Files.copy(CHECKER.resolve(f), WORK.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(WORK.resolve("node_modules/@kubernetes-models/cloudnative-pg"))) {
            DashboardSchemaTests.run(WORK, 0, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
        }
    }

    /** The operators' objects of every variant that renders them, as JSON for the checker. */
    static ArrayNode operatorObjects() throws Exception {
        ArrayNode objects = JSON.createArrayNode();
        List<Map<String, String>> variants = List.of(
                Map.of("monitoring.operatorCrds", "true", "postgresql.exporter.enabled", "true",
                        "monitoring.serviceMonitor.namespace", "monitoring", "monitoring.serviceMonitor.labels.release", "kps"),
                Map.of("monitoring.operatorCrds", "true", "postgresql.type", "cnpg", "postgresql.cnpg.imageName",
                        "ghcr.io/cloudnative-pg/postgresql:17.6", "postgresql.cnpg.backup.enabled", "true",
                        "postgresql.cnpg.backup.destinationPath", "s3://b/shopflow", "postgresql.cnpg.backup.endpointURL",
                        "https://minio.example:9000", "postgresql.cnpg.backup.s3CredentialsSecret", "s3",
                        "postgresql.storageClass", "fast"));
        for (Map<String, String> values : variants) {
            for (HasMetadata o : HelmChartTests.render(values)) {
                if (o.getApiVersion().startsWith("monitoring.coreos.com/") || o.getApiVersion().startsWith("postgresql.cnpg.io/")) {
                    objects.add(JSON.valueToTree(o));
                }
            }
        }
        return objects;
    }

    static String check(ArrayNode objects, int expectedExit) throws Exception {
        Path file = WORK.resolve("objects.json");
        JSON.writeValue(file.toFile(), objects);
        return DashboardSchemaTests.run(WORK, expectedExit, "node", "validate.mjs", file.toString());
    }

    @Test
    void shouldRenderOperatorObjectsThatTheirCrdsAccept() throws Exception {
        ArrayNode objects = operatorObjects();
        String out = check(objects, 0);
        List<String> valid = new ArrayList<>(out.lines().filter(l -> l.startsWith("VALID ")).toList());
        assertThat(valid).as(out).hasSize(objects.size());
        assertThat(String.join("\n", valid)).contains("ServiceMonitor shopflow", "ServiceMonitor shopflow-postgresql",
                "PrometheusRule shopflow", "PodMonitor shopflow-postgresql", "Cluster shopflow-postgresql",
                "ScheduledBackup shopflow-postgresql");
    }

    @Test
    void shouldRefuseObjectsTheirCrdsWouldRefuse() throws Exception {
        ArrayNode objects = operatorObjects();
        ArrayNode broken = JSON.createArrayNode();
        for (var o : objects) {
            ObjectNode copy = o.deepCopy();
            if (copy.path("kind").asText().equals("Cluster")) {
                ((ObjectNode) copy.path("spec")).put("instances", "three");
                broken.add(copy);
            }
            if (copy.path("kind").asText().equals("ServiceMonitor") && broken.size() == 1) {
                ((ObjectNode) copy.path("spec")).remove("selector");
                broken.add(copy);
            }
        }
        assertThat(broken).hasSize(2);
        String out = check(broken, 1);
        assertThat(out.lines().filter(l -> l.startsWith("INVALID ")).count()).as(out).isEqualTo(2);
    }
}
