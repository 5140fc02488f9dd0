package dev.shopflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The alert rules with Prometheus's own tool (promtool check rules, and promtool test rules with a
 * firing and a quiet case per alert), the PrometheusRule the chart renders from the same file, and a
 * runbook section for every alert.
 */
class AlertRulesTests {

    static final Path RULES_DIR = HelmChartTests.CHART.resolve("files/prometheus");
    static final Path RUNBOOK = HelmChartTests.CHART.resolve("../../docs/runbook.md").normalize();

    static String promtool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).directory(RULES_DIR.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("promtool is needed (apt-get install -y prometheus, or run ./shopflow test: it installs what is missing)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("promtool %s:%n%s", String.join(" ", args), out).isZero();
        return out;
    }

    @Test
    void shouldPassPromtoolsChecksAndUnitTests() throws Exception {
        assertThat(promtool("check", "rules", "shopflow-alerts.yaml")).contains("SUCCESS: 10 rules found");
        assertThat(promtool("test", "rules", "shopflow-alerts.test.yaml")).contains("SUCCESS");
    }

    @Test
    void shouldTestEveryAlertFiringAndRenderThemAsAPrometheusRule() throws Exception {
        JsonNode file = HelmChartTests.YAML.readTree(RULES_DIR.resolve("shopflow-alerts.yaml").toFile());
        List<String> alerts = new ArrayList<>();
        file.path("groups").forEach(g -> g.path("rules").forEach(r -> alerts.add(r.path("alert").asText())));
        assertThat(alerts).contains("ShopflowServiceDown", "ShopflowPipelineStale", "ShopflowAuditFailed",
                "ShopflowQuarantineRateHigh", "ShopflowTransformFailing", "ShopflowApiLatencyHigh", "ShopflowIngestErrors",
                "ShopflowTargetDown", "ShopflowHttp5xxRatioHigh", "ShopflowSourceFailing");

        String tests = Files.readString(RULES_DIR.resolve("shopflow-alerts.test.yaml"));
        String runbook = Files.readString(RUNBOOK);
        for (String alert : alerts) {
            assertThat(tests).as("a unit test of %s", alert).contains("alertname: " + alert);
            assertThat(runbook).as("a runbook section for %s", alert).contains("## " + alert);
        }

        PrometheusRule rule = HelmChartTests.of(HelmChartTests.render(HelmChartTests.OPERATOR), PrometheusRule.class).get(0);
        List<Rule> rendered = rule.getSpec().getGroups().get(0).getRules();
        assertThat(rendered).extracting(Rule::getAlert).containsExactlyElementsOf(alerts);
        for (Rule r : rendered) {
            assertThat(r.getAnnotations()).as(r.getAlert()).containsKeys("summary", "description", "runbook_url");
            assertThat(r.getAnnotations().get("runbook_url")).endsWith("#" + r.getAlert().toLowerCase(Locale.ROOT));
            assertThat(r.getLabels()).containsKey("severity");
        }
        // every alert waits before firing, and is per namespace (two releases in one Prometheus alert apart)
        for (JsonNode group : file.path("groups")) {
            for (JsonNode r : group.path("rules")) {
                assertThat(r.path("for").asText()).as(r.path("alert").asText()).isNotEmpty();
                String expr = r.path("expr").asText();
                assertThat(expr.contains("by (namespace") || expr.startsWith("up{")).as("%s groups by namespace", r.path("alert")).isTrue();
            }
        }
        // the runbook links follow monitoring.prometheusRule.runbookBaseUrl
        PrometheusRule moved = HelmChartTests.of(HelmChartTests.render(Map.of("monitoring.operatorCrds", "true",
                "monitoring.prometheusRule.runbookBaseUrl", "https://wiki.example.com/shopflow")), PrometheusRule.class).get(0);
        assertThat(moved.getSpec().getGroups().get(0).getRules()).allSatisfy(r -> assertThat(r.getAnnotations().get("runbook_url"))
                .isEqualTo("https://wiki.example.com/shopflow#" + r.getAlert().toLowerCase(Locale.ROOT)));
        assertThat(HelmChartTests.of(HelmChartTests.render(Map.of("monitoring.operatorCrds", "true",
                "monitoring.prometheusRule.enabled", "false")),
                PrometheusRule.class)).isEmpty();
    }
}
