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
 * Quality's audit endpoint, answered by the test over real HTTP: each check run passes, fails one error
 * check, has one error check that could not run ({@code "error"}: its SQL failed, as quality reports
 * it), or hangs past the audit timeout ({@code "hang"}), as the test says; {@link #onAudit} runs before
 * the answer (to change the ledger while a run is in its audit). Transform's client, retries and
 * timeouts are the real ones (the timeout set to {@link #AUDIT_TIMEOUT_SECONDS}).
 */
public class ScriptedQuality implements QuarkusTestResourceLifecycleManager {

    static final AtomicReference<String> OUTCOME = new AtomicReference<>("passed");
    static final AtomicReference<Runnable> onAudit = new AtomicReference<>(() -> { });
    static final AtomicInteger CALLS = new AtomicInteger();
    static final int AUDIT_TIMEOUT_SECONDS = 3;
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
            String outcome = OUTCOME.get();
            if (outcome.equals("hang")) {
                try {
                    Thread.sleep((AUDIT_TIMEOUT_SECONDS + 2) * 1000L);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            boolean passed = outcome.equals("passed") || outcome.equals("hang");
            String status = passed ? "passed" : outcome.equals("error") ? "error" : "failed";
            String sample = outcome.equals("error")
                    ? "[{\"error\":\"ERROR: relation \\\"warehouse.no_such_table\\\" does not exist\"}]" : "[]";
            String body = "{\"run_id\":" + CALLS.get() + ",\"layer\":\"" + layer + "\",\"scope\":{},\"status\":\""
                    + (passed ? "passed" : "failed") + "\",\"passed\":" + passed + ",\"results\":[{\"check\":\"scripted_" + layer
                    + "\",\"layer\":\"" + layer + "\",\"severity\":\"error\",\"status\":\"" + status
                    + "\",\"failing_rows\":" + (outcome.equals("failed") ? 1 : 0) + ",\"sample\":" + sample + "}]}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        // a thread per exchange: a hanging audit must not hold up the next run's
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        return Map.of("quarkus.rest-client.quality.url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "shopflow.audit.timeout-seconds", Integer.toString(AUDIT_TIMEOUT_SECONDS));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
