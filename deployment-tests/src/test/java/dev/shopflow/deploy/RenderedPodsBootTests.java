package dev.shopflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rendered pods boot, without a cluster. The default variant is rendered; then, as a kubelet would:
 * the database gets the StatefulSet's arguments, its image's init (superuser and database from the env,
 * the mounted init scripts run), and password checks on every login; each Deployment's container starts
 * the jar its image names, with exactly the environment its spec gives (Secret and ConfigMap references
 * resolved from the rendered objects), its mounted volumes at local paths, JAVA_OPTS_APPEND as the
 * image's launcher uses it (with the memory limit as the JVM's RAM), as user 185 (the pod's runAsUser) so
 * only the declared writable volumes are writable to it; the CronJob's command starts a backfill that
 * publishes; a KPI answers through the analytics Service's name; the helm test Pod's command passes.
 * The only translation is the network: each Service name resolves to a local port, and each pod's
 * port 8080 (QUARKUS_HTTP_PORT, checked to be the containerPort the Service targets) becomes that port.
 * A wrong Secret key, a path the image does not have, a URL to the wrong port or Service fails here.
 */
class RenderedPodsBootTests {

    static final Path REPO = HelmChartTests.CHART.resolve("../..").normalize();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final ObjectMapper JSON = new ObjectMapper();
    static final int POD_USER = 185;

    @TempDir
    static Path root;
    static EmbeddedPostgres postgres;
    static final List<Process> processes = new ArrayList<>();

    List<HasMetadata> objects;
    final Map<String, Integer> servicePorts = new HashMap<>();

    @AfterAll
    static void stopEverything() throws Exception {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void shouldBootEveryRenderedPodAndPublishThroughTheServices() throws Exception {
        // the pods' user must reach its files below this directory (a JUnit temp dir is private to root)
        Files.setPosixFilePermissions(root, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        objects = HelmChartTests.renderWithHooks(Map.of());
        for (Service s : HelmChartTests.of(objects, Service.class)) {
            servicePorts.put(s.getMetadata().getName(), freePort());
        }

        startDatabase(HelmChartTests.of(objects, StatefulSet.class).get(0));

        // the services, in the launcher's order (each retries its database and peers anyway)
        Map<String, Deployment> deployments = new LinkedHashMap<>();
        for (String name : List.of("ingestion-service", "transform-service", "quality-service", "generator-service", "analytics-api")) {
            Deployment d = HelmChartTests.of(objects, Deployment.class).stream()
                    .filter(x -> x.getMetadata().getName().equals("shopflow-" + name)).findFirst().orElseThrow();
            deployments.put(name, d);
            start(d);
        }
        for (Deployment d : deployments.values()) {
            awaitProbes(d);
        }

        // the CronJob's command, as a backfill Job made from it (NOTES.txt): three days, published
        CronJob cron = HelmChartTests.of(objects, CronJob.class).get(0);
        PodSpec jobPod = cron.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        Container generate = jobPod.getContainers().get(0);
        Map<String, String> jobEnv = environment("cronjob", generate, jobPod);
        jobEnv.put("GENERATION_FROM", "2025-01-01");
        jobEnv.put("GENERATION_TO", "2025-01-03");
        Run job = run("daily-generation", generate.getCommand(), jobEnv, Duration.ofMinutes(5));
        assertThat(job.exit()).as(job.output()).isZero();
        assertThat(job.output()).contains("generating 2025-01-01 .. 2025-01-03", "\"status\":\"succeeded\"");

        // a KPI through the analytics Service's name, once the run's version is published. Ingestion
        // nudges transform after every batch, so versions holding only the first batches (customers,
        // products: no orders yet) may be published before it; the run's version is the one published
        // once no batch is pending, and the summary is read until it is served.
        String analytics = serviceUrl("http://shopflow-analytics-api:8080");
        long published = awaitEveryBatchPublished(analytics, Duration.ofMinutes(3));
        HttpResponse<String> summary = null;
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            summary = HTTP.send(HttpRequest.newBuilder(URI.create(analytics + "/api/v1/kpis/summary?from=2025-01-01&to=2025-01-03"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (summary.statusCode() == 200 && JSON.readTree(summary.body()).path("version").asLong() >= published) {
                break;
            }
            Thread.sleep(500);
        }
        assertThat(summary.statusCode()).as("%s (logs: %s)", summary.body(), root.resolve("logs")).isEqualTo(200);
        JsonNode kpis = JSON.readTree(summary.body());
        assertThat(kpis.path("version").asLong()).as("%s", kpis).isGreaterThanOrEqualTo(published);
        assertThat(kpis.path("orders").asLong()).isGreaterThan(0);
        assertThat(kpis.path("revenue").decimalValue()).isPositive();

        // helm test: the smoke test Pod's command against the same Services
        Pod test = HelmChartTests.of(objects, Pod.class).get(0);
        Container smoke = test.getSpec().getContainers().get(0);
        Run smokeRun = run("smoke-test", smoke.getCommand(), environment("smoke-test", smoke, test.getSpec()), Duration.ofMinutes(2));
        assertThat(smokeRun.exit()).as(smokeRun.output()).isZero();
        assertThat(smokeRun.output()).contains("summary: 200");
    }

    /**
     * The published version once the pipeline status shows no batch pending (every loaded batch is
     * in a published version) and some version is published. The same wait as local-platform's
     * PlatformClient.awaitPublished, which this module cannot put on its classpath: that jar's manifest
     * Class-Path brings a second copy of the embedded PostgreSQL binaries, and zonky refuses two.
     */
    long awaitEveryBatchPublished(String analytics, Duration timeout) throws Exception {
        JsonNode status = null;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(analytics + "/api/v1/pipeline/status")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                status = JSON.readTree(r.body());
                if (status.path("pending_batches").asLong(-1) == 0 && status.path("published_version").canConvertToLong()) {
                    return status.path("published_version").asLong();
                }
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("batches still pending after " + timeout + ": " + status + " (logs: " + root.resolve("logs") + ")");
    }

    // --- the database: the StatefulSet's container as the postgres image runs it ----------------

    void startDatabase(StatefulSet set) throws Exception {
        PodSpec pod = set.getSpec().getTemplate().getSpec();
        Container db = pod.getContainers().get(0);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setPort(servicePorts.get("shopflow-postgresql"))
                .setDataDirectory(root.resolve("pgdata")).setCleanDataDirectory(true);
        List<String> args = db.getArgs();
        for (int i = 0; i + 1 < args.size(); i += 2) {
            assertThat(args.get(i)).isEqualTo("-c");
            String[] setting = args.get(i + 1).split("=", 2);
            builder.setServerConfig(setting[0], setting[1]);
        }
        postgres = builder.start();
        // as in the image: passwords are checked (scram) for every login but the test's own superuser
        Files.writeString(root.resolve("pgdata/pg_hba.conf"), """
                host all postgres 127.0.0.1/32 trust
                host all all 127.0.0.1/32 scram-sha-256
                """);
        Map<String, String> env = environment("postgresql", db, pod);
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("SELECT pg_reload_conf()");
            // the image's entrypoint: POSTGRES_USER a superuser with POSTGRES_PASSWORD, POSTGRES_DB owned by it
            st.execute("CREATE ROLE " + env.get("POSTGRES_USER") + " LOGIN SUPERUSER PASSWORD '"
                    + env.get("POSTGRES_PASSWORD").replace("'", "''") + "'");
            st.execute("CREATE DATABASE " + env.get("POSTGRES_DB") + " OWNER " + env.get("POSTGRES_USER"));
        }
        // then every script mounted in /docker-entrypoint-initdb.d, in name order, with the container's environment
        Path initDir = mountPath("postgresql", "/docker-entrypoint-initdb.d");
        env.put("PGHOST", "127.0.0.1");
        env.put("PGPORT", Integer.toString(servicePorts.get("shopflow-postgresql")));
        env.put("PGPASSWORD", env.get("POSTGRES_PASSWORD"));
        try (var scripts = Files.list(initDir)) {
            List<Path> sorted = scripts.sorted().toList();
            assertThat(sorted).isNotEmpty();
            for (Path script : sorted) {
                Run init = run("postgresql-init", List.of("bash", script.toString()), env, Duration.ofMinutes(2));
                assertThat(init.exit()).as(init.output()).isZero();
            }
        }
    }

    // --- a pod's container --------------------------------------------------------------------

    void start(Deployment d) throws Exception {
        String pod = d.getMetadata().getName();
        PodSpec spec = d.getSpec().getTemplate().getSpec();
        Container c = spec.getContainers().get(0);
        assertThat(spec.getSecurityContext().getRunAsUser()).isEqualTo((long) POD_USER);
        Map<String, String> env = environment(pod, c, spec);

        // the pod's port: the Service targets the container port "http", which QUARKUS_HTTP_PORT must be
        assertThat(c.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(env.get("QUARKUS_HTTP_PORT")).isEqualTo(Integer.toString(p.getContainerPort()));
        });
        env.put("QUARKUS_HTTP_PORT", Integer.toString(servicePorts.get(pod)));

        // the image: <registry>/<service>:<tag> runs that service's packaged app
        String image = c.getImage();
        String service = image.substring(image.lastIndexOf('/') + 1, image.lastIndexOf(':'));
        Path jar = REPO.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        assertThat(jar).as("the app of image %s (./mvnw package first)", image).exists();

        // the image's launcher: java $JAVA_OPTS_APPEND -jar; the container's memory limit is the JVM's RAM
        List<String> command = new ArrayList<>(List.of(javaBin(), "-XX:MaxRAM=" + bytes(c.getResources().getLimits().get("memory")),
                "-Djava.io.tmpdir=" + localPath(pod, "/tmp")));
        for (String opt : env.getOrDefault("JAVA_OPTS_APPEND", "").split("\\s+")) {
            if (!opt.isBlank()) {
                command.add(opt);
            }
        }
        command.addAll(List.of("-jar", jar.toString()));
        processes.add(start(pod, command, env));
    }

    /** The container's environment: values with Service names mapped, references resolved, mounted paths mapped. */
    Map<String, String> environment(String pod, Container c, PodSpec spec) throws IOException {
        mount(pod, c, spec);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv("PATH"));
        env.put("HOME", localPath(pod, "/tmp").toString());
        for (EnvVar e : c.getEnv()) {
            String value;
            if (e.getValueFrom() == null) {
                value = e.getValue() == null ? "" : e.getValue();
            } else if (e.getValueFrom().getSecretKeyRef() != null) {
                var ref = e.getValueFrom().getSecretKeyRef();
                Secret secret = HelmChartTests.of(objects, Secret.class).stream().filter(s -> s.getMetadata().getName().equals(ref.getName()))
                        .findFirst().orElseThrow(() -> new AssertionError(pod + ": no Secret " + ref.getName()));
                String encoded = secret.getData().get(ref.getKey());
                if (encoded == null && Boolean.TRUE.equals(ref.getOptional())) {
                    continue;
                }
                assertThat(encoded).as("%s: %s from Secret %s key %s", pod, e.getName(), ref.getName(), ref.getKey()).isNotNull();
                value = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            } else if (e.getValueFrom().getConfigMapKeyRef() != null) {
                var ref = e.getValueFrom().getConfigMapKeyRef();
                value = configMap(pod, ref.getName()).getData().get(ref.getKey());
                assertThat(value).as("%s: %s from ConfigMap %s key %s", pod, e.getName(), ref.getName(), ref.getKey()).isNotNull();
            } else {
                throw new AssertionError(pod + ": " + e.getName() + " has a source this test does not know: " + e.getValueFrom());
            }
            env.put(e.getName(), localPaths(pod, c, serviceUrl(value)));
        }
        return env;
    }

    /** Service DNS names (http://name:port, jdbc:postgresql://name:port) to the local port of that Service. */
    String serviceUrl(String value) {
        String mapped = value;
        for (Service s : HelmChartTests.of(objects, Service.class)) {
            for (var port : s.getSpec().getPorts()) {
                mapped = mapped.replace("//" + s.getMetadata().getName() + ":" + port.getPort(),
                        "//127.0.0.1:" + servicePorts.get(s.getMetadata().getName()));
            }
        }
        return mapped;
    }

    /** The container's volumes at local paths: emptyDirs writable to the pod's user, ConfigMap items as files. */
    void mount(String pod, Container c, PodSpec spec) throws IOException {
        for (VolumeMount m : c.getVolumeMounts() == null ? List.<VolumeMount>of() : c.getVolumeMounts()) {
            Path local = localPath(pod, m.getMountPath());
            if (HelmChartTests.of(objects, StatefulSet.class).stream().flatMap(x -> x.getSpec().getVolumeClaimTemplates().stream())
                    .anyMatch(claim -> claim.getMetadata().getName().equals(m.getName()))) {
                continue; // the database's volume claim: the embedded PostgreSQL keeps its data itself
            }
            Volume v = spec.getVolumes().stream().filter(x -> x.getName().equals(m.getName())).findFirst()
                    .orElseThrow(() -> new AssertionError(pod + ": no volume " + m.getName()));
            Files.createDirectories(local);
            if (v.getEmptyDir() != null) {
                assertThat(m.getReadOnly()).as("%s: %s", pod, m.getMountPath()).isNotEqualTo(Boolean.TRUE);
                chown(local);
            } else if (v.getConfigMap() != null) {
                ConfigMap map = configMap(pod, v.getConfigMap().getName());
                List<KeyToPath> items = v.getConfigMap().getItems() == null || v.getConfigMap().getItems().isEmpty()
                        ? map.getData().keySet().stream().map(k -> new KeyToPath(k, null, k)).toList() : v.getConfigMap().getItems();
                for (KeyToPath item : items) {
                    String data = map.getData().get(item.getKey());
                    assertThat(data).as("%s: ConfigMap %s key %s", pod, map.getMetadata().getName(), item.getKey()).isNotNull();
                    Path file = local.resolve(item.getPath());
                    Files.writeString(file, data);
                    file.toFile().setExecutable(v.getConfigMap().getDefaultMode() != null && (v.getConfigMap().getDefaultMode() & 0100) != 0);
                }
            } else if (v.getPersistentVolumeClaim() == null) {
                throw new AssertionError(pod + ": volume " + v.getName() + " of a kind this test does not know");
            }
        }
    }

    ConfigMap configMap(String pod, String name) {
        return HelmChartTests.of(objects, ConfigMap.class).stream().filter(m -> m.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(pod + ": no ConfigMap " + name));
    }

    /** A path inside the container to the local directory standing for it. */
    Path localPath(String pod, String containerPath) {
        return root.resolve("pods").resolve(pod).resolve(containerPath.substring(1));
    }

    Path mountPath(String pod, String containerPath) {
        return localPath(pod, containerPath);
    }

    /** Paths under a mount point, in an env value, to where that mount is locally. */
    String localPaths(String pod, Container c, String value) {
        String mapped = value;
        for (VolumeMount m : c.getVolumeMounts() == null ? List.<VolumeMount>of() : c.getVolumeMounts()) {
            mapped = mapped.replaceAll("(^|[\\s=])" + java.util.regex.Pattern.quote(m.getMountPath()) + "(?=/|\\s|$)",
                    "$1" + java.util.regex.Matcher.quoteReplacement(localPath(pod, m.getMountPath()).toString()));
        }
        return mapped;
    }

    void awaitProbes(Deployment d) throws Exception {
        String pod = d.getMetadata().getName();
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        String base = "http://127.0.0.1:" + servicePorts.get(pod);
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        for (var probe : List.of(c.getStartupProbe(), c.getReadinessProbe(), c.getLivenessProbe())) {
            assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
            int status = 0;
            while (System.nanoTime() < deadline) {
                try {
                    status = HTTP.send(HttpRequest.newBuilder(URI.create(base + probe.getHttpGet().getPath())).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (IOException notYet) {
                    status = 0;
                }
                if (status == 200) {
                    break;
                }
                Thread.sleep(500);
            }
            assertThat(status).as("%s %s (log: %s)", pod, probe.getHttpGet().getPath(), root.resolve("logs/" + pod + ".log"))
                    .isEqualTo(200);
        }
    }

    // --- processes ----------------------------------------------------------------------------

    record Run(int exit, String output) {
    }

    Run run(String name, List<String> command, Map<String, String> env, Duration timeout) throws Exception {
        Process p = start(name, command, env);
        boolean done = p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String out = Files.readString(root.resolve("logs/" + name + ".log"));
        return new Run(done ? p.exitValue() : -1, out);
    }

    /** Started as the pods' user where this runs as root (setpriv), with only the given environment. */
    Process start(String name, List<String> command, Map<String, String> env) throws IOException {
        Files.createDirectories(root.resolve("logs"));
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("setpriv", "--reuid=" + POD_USER, "--regid=" + POD_USER, "--clear-groups", "--"));
        }
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(root.resolve("logs/" + name + ".log").toFile()).directory(root.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb.start();
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    void chown(Path dir) throws IOException {
        if (isRoot()) {
            Files.setAttribute(dir, "unix:uid", POD_USER);
            Files.setAttribute(dir, "unix:gid", POD_USER);
        }
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static long bytes(Quantity q) {
        return Quantity.getAmountInBytes(q).longValueExact();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
