package dev.shopflow.transform.service;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Quality's audit endpoint, answered by the test over real HTTP: each check run passes, or fails one
 * error check, as the test says; {@link #onAudit} runs before the answer (to change the ledger while a
 * run is in its audit). Transform's client, retries and timeouts are the real ones.
 */
public class ScriptedQuality implements QuarkusTestResourceLifecycleManager {

    static final AtomicReference<String> OUTCOME = new AtomicReference<>("passed");
    static final AtomicReference<Runnable> onAudit = new AtomicReference<>(() -> { });
    static final AtomicInteger CALLS = new AtomicInteger();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/api/v1/check-runs", exchange -> {
            String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String layer = request.contains("\"marts\"") ? "marts" : "warehouse";
            CALLS.incrementAndGet();
            onAudit.get().run();
            boolean passed = OUTCOME.get().equals("passed");
            String body = "{\"run_id\":" + CALLS.get() + ",\"layer\":\"" + layer + "\",\"scope\":{},\"status\":\""
                    + (passed ? "passed" : "failed") + "\",\"passed\":" + passed + ",\"results\":[{\"check\":\"scripted_" + layer
                    + "\",\"layer\":\"" + layer + "\",\"severity\":\"error\",\"status\":\"" + (passed ? "passed" : "failed")
                    + "\",\"failing_rows\":" + (passed ? 0 : 1) + ",\"sample\":[]}]}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return Map.of("quarkus.rest-client.quality.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
