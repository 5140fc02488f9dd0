package dev.shopflow.deploy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The little of the Kubernetes API that the chart's {@code lookup} calls reach: discovery of v1 and
 * GET of a Secret. helm-java's template renders with dry-run "none", under which Helm lets {@code lookup}
 * talk to the cluster of $KUBECONFIG (the helm CLI's template does not); the build points KUBECONFIG
 * (surefire's environment) at the file this writes. By default no Secret exists, as for a first install
 * or a GitOps render; a test can put one in to see the chart reuse it, as an upgrade would.
 */
final class KubeApiStub {

    static final Path KUBECONFIG = Path.of(System.getenv().getOrDefault("KUBECONFIG", "target/kubeconfig"));
    private static KubeApiStub instance;

    private final HttpServer server;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    final List<String> requests = new CopyOnWriteArrayList<>();

    private KubeApiStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
        Files.createDirectories(KUBECONFIG.toAbsolutePath().getParent());
        Files.writeString(KUBECONFIG, """
                apiVersion: v1
                kind: Config
                clusters: [{name: stub, cluster: {server: "http://127.0.0.1:%d"}}]
                users: [{name: stub, user: {}}]
                contexts: [{name: stub, context: {cluster: stub, user: stub, namespace: shopflow}}]
                current-context: stub
                """.formatted(server.getAddress().getPort()));
    }

    /** Started once per test JVM, before the first render. */
    static synchronized KubeApiStub get() {
        if (instance == null) {
            try {
                instance = new KubeApiStub();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /** A Secret the cluster "has" from now on (data values base64, as the API gives them). */
    void putSecret(String namespace, String name, Map<String, String> data) throws IOException {
        secrets.put(namespace + "/" + name, new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Map.of("apiVersion", "v1", "kind", "Secret",
                "metadata", Map.of("name", name, "namespace", namespace), "type", "Opaque", "data", data)));
    }

    void clear() {
        secrets.clear();
        requests.clear();
    }

    private static final Pattern SECRET = Pattern.compile("/api/v1/namespaces/([^/]+)/secrets/([^/?]+)");

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.add(exchange.getRequestMethod() + " " + path);
        Matcher secret = SECRET.matcher(path);
        if (path.equals("/api")) {
            reply(exchange, 200, "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"]}");
        } else if (path.equals("/apis")) {
            reply(exchange, 200, "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[]}");
        } else if (path.equals("/api/v1")) {
            reply(exchange, 200, """
                    {"kind":"APIResourceList","groupVersion":"v1","resources":[
                     {"name":"secrets","singularName":"secret","namespaced":true,"kind":"Secret","verbs":["get","list"]}]}""");
        } else if (secret.matches() && exchange.getRequestMethod().equals("GET")) {
            String body = secrets.get(secret.group(1) + "/" + secret.group(2));
            if (body != null) {
                reply(exchange, 200, body);
            } else {
                reply(exchange, 404, """
                        {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404,
                         "message":"secrets \\"%s\\" not found","details":{"name":"%s","kind":"secrets"}}"""
                        .formatted(secret.group(2), secret.group(2)));
            }
        } else {
            reply(exchange, 404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}");
        }
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
