package dev.shopflow.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Prometheus (Debian's prometheus binary) on loopback, scraping the local platform every
 * second under job="shopflow", as the chart's ServiceMonitor does in a cluster.
 */
final class ScrapingPrometheus implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final String base;
    private final HttpClient http = HttpClient.newHttpClient();

    /** targets: service name (the target's service label, as the chart's ServiceMonitor gives it) to port. */
    ScrapingPrometheus(Path dir, int port, Map<String, Integer> targets) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: shopflow
                    metrics_path: /q/metrics
                    static_configs:
                %s""".formatted(targets.entrySet().stream()
                        .map(t -> "      - targets: ['localhost:%d']\n        labels: {service: %s}\n".formatted(t.getValue(), t.getKey()))
                        .collect(Collectors.joining())));
        base = "http://127.0.0.1:" + port;
        try {
            process = new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("prometheus is needed (apt-get install -y prometheus, or run ./shopflow test: it installs what is missing)", e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(250);
        }
        close();
        throw new IllegalStateException("prometheus did not become ready (see " + dir.resolve("prometheus.log") + ")");
    }

    /** The result vector of an instant query (empty when the expression returns no series). */
    JsonNode query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new IllegalStateException("query failed: " + promql + " -> " + r.body());
        }
        return body.path("data").path("result");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
