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
            throw new AssertionError(command[0] + " is needed (apt-get install -y nodejs npm; .ci/run installs them)", e);
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
        Files.writeString(WORK.resolve(name + ".ts"), "import type { Dashboard } from '@grafana/schema';\n"
                + "export const dashboard: Dashboard = " + json + ";\n");
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
