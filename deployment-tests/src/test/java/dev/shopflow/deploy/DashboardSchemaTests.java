package dev.shopflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboards against Grafana's own schema: each JSON file becomes a TypeScript object
 * literal typed as @grafana/schema's Dashboard, and the TypeScript compiler checks it (types, enum
 * values, unknown fields). A deliberately broken copy must fail, so the check is known to bite.
 */
class DashboardSchemaTests {

    static final Path DASHBOARDS = HelmChartTests.CHART.resolve("files/grafana");
    static final Path CHECKER = Path.of("src/test/dashboard-schema").toAbsolutePath();
    static final Path WORK = Path.of("target/dashboard-schema").toAbsolutePath();

    static String run(Path dir, int expectedExit, String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(command[0] + " is needed (apt-get install -y nodejs npm, or run ./shopflow test: it installs what is missing)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        if (expectedExit == 0) {
            assertThat(p.exitValue()).as("%s:%n%s", String.join(" ", command), out).isZero();
        } else {
            assertThat(p.exitValue()).as("%s:%n%s", String.join(" ", command), out).isNotZero();
        }
        return out;
    }

    @BeforeAll
    static void installTheSchema() throws Exception {
        Files.createDirectories(WORK);
        for (String f : List.of("package.json", "package-lock.json", "tsconfig.json")) {
            Files.copy(CHECKER.resolve(f), WORK.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(WORK.resolve("node_modules/@grafana/schema"))) {
            run(WORK, 0, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
        }
    }

    static List<Path> dashboards() throws IOException {
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    static void writeCheck(String name, String json) throws IOException {
        // The schema types an annotation's query only for Grafana's own data source; a Prometheus annotation
        // carries the fields the Prometheus data source reads (expr, step, titleFormat, textFormat), so those,
        // and only those, are added to the schema's AnnotationQuery.
        Files.writeString(WORK.resolve(name + ".ts"), "import type { AnnotationQuery, Dashboard } from '@grafana/schema';\n"
                + "type PrometheusAnnotation = AnnotationQuery & { expr: string; step?: string; titleFormat?: string; textFormat?: string };\n"
                + "type ShopflowDashboard = Omit<Dashboard, 'annotations'> & { annotations?: { list?: PrometheusAnnotation[] } };\n"
                // the schema's string enums (ThresholdsMode, FieldColorModeId, ...) as the string values JSON holds
                + "type Json<T> = T extends string ? `${T}` : T extends (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;\n"
                + "export const dashboard: Json<ShopflowDashboard> = " + json + ";\n");
    }

    static void clean() throws IOException {
        try (Stream<Path> files = Files.list(WORK)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".ts")).toList()) {
                Files.delete(f);
            }
        }
    }

    @Test
    void shouldTypeCheckEveryDashboardAgainstGrafanasSchema() throws Exception {
        clean();
        List<Path> files = dashboards();
        assertThat(files).extracting(f -> f.getFileName().toString())
                .containsExactly("shopflow-api.json", "shopflow-jvm.json", "shopflow-pipeline.json");
        for (Path f : files) {
            writeCheck(f.getFileName().toString().replace(".json", "").replace('-', '_'), Files.readString(f));
        }
        run(WORK, 0, "node", "node_modules/typescript/bin/tsc", "-p", ".");

        clean();
        String broken = Files.readString(files.get(0)).replaceFirst("\"gridPos\"", "\"gridPoz\"");
        writeCheck("broken", broken);
        assertThat(run(WORK, 1, "node", "node_modules/typescript/bin/tsc", "-p", ".")).contains("gridPoz");
        clean();
        writeCheck("broken", Files.readString(files.get(0)).replaceFirst("\"absolute\"", "\"absolutely\""));
        assertThat(run(WORK, 1, "node", "node_modules/typescript/bin/tsc", "-p", ".")).contains("absolutely");
        clean();
    }

    /**
     * Shared clusters: every query filters by the job and namespace variables (two releases, or another
     * Quarkus app, never mix in one panel), the per-service panels by service; every panel has
     * thresholds, and those of panels watched by an alert sit at the alert's threshold; the pipeline
     * dashboard opens on a week and marks published versions.
     */
    @Test
    void shouldFilterEveryQueryByJobAndNamespaceAndMirrorTheAlertThresholds() throws Exception {
        int panels = 0;
        for (Path f : dashboards()) {
            JsonNode dashboard = HelmChartTests.YAML.readTree(f.toFile());
            List<String> variables = new ArrayList<>();
            dashboard.path("templating").path("list").forEach(v -> variables.add(v.path("name").asText()));
            assertThat(variables).as(f.toString()).contains("datasource", "job", "namespace");
            for (JsonNode panel : dashboard.path("panels")) {
                panels++;
                String title = f.getFileName() + " / " + panel.path("title").asText();
                panel.path("targets").forEach(t -> assertThat(t.path("expr").asText()).as(title)
                        .contains("job=~\"$job\"", "namespace=~\"$namespace\""));
                assertThat(panel.path("fieldConfig").path("defaults").path("thresholds").path("steps")).as(title).isNotEmpty();
            }
            dashboard.path("annotations").path("list").forEach(a -> assertThat(a.path("expr").asText())
                    .contains("job=~\"$job\"", "namespace=~\"$namespace\""));
        }
        assertThat(panels).isEqualTo(26);
        JsonNode api = HelmChartTests.YAML.readTree(DASHBOARDS.resolve("shopflow-api.json").toFile());
        assertThat(api.path("panels").findValuesAsText("expr")).filteredOn(e -> e.contains("sum by (service)")).hasSizeGreaterThanOrEqualTo(3);
        assertThat(redLine(api, "Server error ratio by service (5xx)")).isEqualTo(0.05);
        assertThat(redLine(api, "KPI latency percentiles")).isEqualTo(0.5);
        JsonNode pipeline = HelmChartTests.YAML.readTree(DASHBOARDS.resolve("shopflow-pipeline.json").toFile());
        assertThat(pipeline.path("time").path("from").asText()).isEqualTo("now-7d");
        assertThat(redLine(pipeline, "Data freshness")).isEqualTo(26 * 3600);
        assertThat(redLine(pipeline, "Quarantine ratio by entity")).isEqualTo(0.05);
        assertThat(pipeline.path("annotations").path("list").get(0).path("expr").asText()).contains("shopflow_published_version");
        // the alert file holds the same thresholds
        String alerts = Files.readString(HelmChartTests.CHART.resolve("files/prometheus/shopflow-alerts.yaml"));
        assertThat(alerts).contains("> 26 * 3600", "> 0.05", "> 0.5");
    }

    static double redLine(JsonNode dashboard, String title) {
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("title").asText().equals(title)) {
                JsonNode steps = panel.path("fieldConfig").path("defaults").path("thresholds").path("steps");
                return steps.get(steps.size() - 1).path("value").asDouble();
            }
        }
        throw new AssertionError("no panel " + title);
    }

    @Test
    void shouldShipEachDashboardAsAConfigMapForTheGrafanaSidecar() throws Exception {
        List<ConfigMap> maps = HelmChartTests.of(HelmChartTests.render(Map.of()), ConfigMap.class).stream()
                .filter(m -> "1".equals(m.getMetadata().getLabels().get("grafana_dashboard"))).toList();
        assertThat(maps).hasSize(dashboards().size());
        List<String> uids = new ArrayList<>();
        for (ConfigMap m : maps) {
            String json = m.getData().values().iterator().next();
            JsonNode dashboard = HelmChartTests.YAML.readTree(json);
            uids.add(dashboard.path("uid").asText());
            dashboard.path("panels").forEach(p -> assertThat(p.path("targets")).as(p.path("title").asText()).isNotEmpty());
        }
        assertThat(uids).containsExactlyInAnyOrder("shopflow-api", "shopflow-jvm", "shopflow-pipeline");
        assertThat(HelmChartTests.of(HelmChartTests.render(Map.of("monitoring.dashboards.enabled", "false")), ConfigMap.class))
                .noneMatch(m -> m.getMetadata().getLabels().containsKey("grafana_dashboard"));
    }
}
