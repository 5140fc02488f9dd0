package dev.shopflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * k8s/ holds the chart rendered for users without Helm (kubectl apply -k k8s/): release "shopflow",
 * credentials from a Secret the user creates, no Prometheus Operator resources. This test fails when
 * the files drift from the chart; regenerate them with
 * {@code ./mvnw -pl deployment-tests test -Dtest=PlainManifestsTests -Dshopflow.write-k8s=true}.
 */
class PlainManifestsTests {

    static final Path K8S = HelmChartTests.CHART.resolve("../../k8s").normalize();
    static final Map<String, String> VALUES = new LinkedHashMap<>();

    static {
        VALUES.put("credentials.existingSecret", "shopflow-credentials");
        VALUES.put("monitoring.serviceMonitor.enabled", "false");
        VALUES.put("monitoring.prometheusRule.enabled", "false");
        VALUES.put("tests.enabled", "false"); // no helm test without Helm
    }

    static String rendered() {
        TemplateCommand template = HelmChartTests.template(HelmChartTests.CHART, "shopflow", VALUES, null);
        return "# Generated from helm/shopflow by PlainManifestsTests (release shopflow; values: " + VALUES + ").\n"
                + "# Do not edit: change the chart and regenerate (see k8s/README.md).\n" + template.call();
    }

    @Test
    void shouldKeepK8sInStepWithTheChart() throws Exception {
        String expected = rendered();
        Path manifests = K8S.resolve("shopflow.yaml");
        if (Boolean.getBoolean("shopflow.write-k8s")) {
            Files.writeString(manifests, expected);
        }
        assertThat(Files.readString(manifests)).as("k8s/shopflow.yaml is stale: regenerate it (see this test's comment)")
                .isEqualTo(expected);
        JsonNode kustomization = HelmChartTests.YAML.readTree(K8S.resolve("kustomization.yaml").toFile());
        assertThat(kustomization.path("resources").get(0).asText()).isEqualTo("shopflow.yaml");
        assertThat(kustomization.path("namespace").asText()).isEqualTo("shopflow");
    }

    @Test
    void shouldReadEveryPlainManifestStrictlyAndCarryNoSecret() throws Exception {
        var objects = HelmChartTests.parse(Files.readString(K8S.resolve("shopflow.yaml")));
        assertThat(objects).hasSizeGreaterThan(20);
        assertThat(HelmChartTests.of(objects, Secret.class)).as("credentials come from the user's Secret").isEmpty();
        assertThat(objects).extracting(HasMetadata::getKind).doesNotContain("ServiceMonitor", "PrometheusRule");
    }
}
