package dev.shopflow.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** A small HTTP client for the platform's APIs, shared by the demo and the end-to-end tests. */
public final class PlatformClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String authorization;

    public PlatformClient(String user, String password) {
        this.authorization = basic(user, password);
    }

    /** An Authorization header value for HTTP Basic. */
    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public static PlatformClient fromEnvironment() {
        return new PlatformClient(System.getenv().getOrDefault("SHOPFLOW_API_USER", "shopflow"),
                System.getenv().getOrDefault("SHOPFLOW_API_PASSWORD", "shopflow-dev"));
    }

    public record Reply(int status, JsonNode body, String contentType) {
    }

    public Reply get(String url) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    public Reply post(String url, String json, boolean authenticated, Duration timeout)
            throws IOException, InterruptedException {
        return post(url, "application/json", json, authenticated, timeout);
    }

    public Reply post(String url, String contentType, String body, boolean authenticated, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        if (authenticated) {
            b.header("Authorization", authorization);
        }
        return send(b.build());
    }

    /** Any method, with or without credentials (for the route walk of the security tests). */
    public Reply send(String method, String url, String contentType, String body, boolean anonymous)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        if (!anonymous) {
            b.header("Authorization", authorization);
        }
        return send(b.build());
    }

    private Reply send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode body = r.body() == null || r.body().isBlank() ? null : parse(r.body());
        return new Reply(r.statusCode(), body, r.headers().firstValue("Content-Type").orElse(""));
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(text);
        }
    }

    /** True when every service answers its readiness probe with 200. */
    public boolean allReady(List<String> baseUrls) {
        for (String base : baseUrls) {
            try {
                if (get(base + "/q/health/ready").status() != 200) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Waits until the pipeline has no pending batch, no running transform and a published version. */
    public JsonNode awaitPublished(String analyticsUrl, Duration timeout, Runnable onWait)
            throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            JsonNode s = get(analyticsUrl + "/api/v1/pipeline/status").body();
            JsonNode run = s.path("last_transform_run");
            if (s.path("pending_batches").asLong(-1) == 0 && !s.path("published_version").isNull()
                    && !"running".equals(run.path("status").asText())) {
                return s;
            }
            onWait.run();
            Thread.sleep(1000);
        }
        throw new IllegalStateException("Nothing published within " + timeout);
    }

    static int waitReady(Options options) throws InterruptedException {
        int timeout = Integer.parseInt(options.get("timeout", "120"));
        PlatformClient client = fromEnvironment();
        Instant deadline = Instant.now().plusSeconds(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (client.allReady(options.positional())) {
                return 0;
            }
            Thread.sleep(500);
        }
        System.err.println("Not all services became ready within " + timeout + " s: " + options.positional());
        return 1;
    }
}
