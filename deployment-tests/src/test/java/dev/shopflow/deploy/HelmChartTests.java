package dev.shopflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The chart without a cluster: real helm lint and template (helm-java runs Helm's own Go code),
 * every rendered object read into the fabric8 Kubernetes model with no field left unknown, and the
 * promises of the chart asserted on the objects.
 */
class HelmChartTests {

    static final Path CHART = Path.of(System.getProperty("shopflow.chart", "../helm/shopflow")).toAbsolutePath().normalize();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    static final Map<String, Class<? extends HasMetadata>> KINDS = Map.ofEntries(
            Map.entry("Deployment", Deployment.class), Map.entry("Service", Service.class), Map.entry("Secret", Secret.class),
            Map.entry("ServiceAccount", ServiceAccount.class),
            Map.entry("ConfigMap", ConfigMap.class), Map.entry("StatefulSet", StatefulSet.class),
            Map.entry("CronJob", CronJob.class), Map.entry("HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("PodDisruptionBudget", PodDisruptionBudget.class), Map.entry("NetworkPolicy", NetworkPolicy.class),
            Map.entry("ServiceMonitor", ServiceMonitor.class), Map.entry("PrometheusRule", PrometheusRule.class),
            Map.entry("PodMonitor", PodMonitor.class), Map.entry("Ingress", Ingress.class), Map.entry("Pod", Pod.class),
            // CloudNativePG's kinds have no model here: read generically, checked against CNPG's schema by OperatorSchemaTests
            Map.entry("Cluster", GenericKubernetesResource.class), Map.entry("ScheduledBackup", GenericKubernetesResource.class));
    static final List<String> SERVICES = List.of("analytics-api", "generator-service", "ingestion-service",
            "transform-service", "quality-service");

    @Test
    void shouldLintStrictly() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertThat(result.getMessages()).as("lint messages").noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
        assertThat(result.isFailed()).isFalse();
    }

    @Test
    void shouldRenderEveryServiceWithProbesSecurityAndResources() throws Exception {
        List<HasMetadata> objects = render(Map.of());
        List<Deployment> deployments = of(objects, Deployment.class);
        assertThat(deployments).extracting(d -> d.getMetadata().getLabels().get("app.kubernetes.io/name"))
                .containsExactlyInAnyOrderElementsOf(SERVICES);
        for (Deployment d : deployments) {
            String name = d.getMetadata().getName();
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(name).isTrue();
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).as(name).isEqualTo("RuntimeDefault");
            Container c = pod.getContainers().get(0);
            assertThat(c.getStartupProbe().getHttpGet().getPath()).as(name).isEqualTo("/q/health/started");
            assertThat(c.getLivenessProbe().getHttpGet().getPath()).as(name).isEqualTo("/q/health/live");
            assertThat(c.getReadinessProbe().getHttpGet().getPath()).as(name).isEqualTo("/q/health/ready");
            assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(name).isTrue();
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(name).isFalse();
            assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(name).containsExactly("ALL");
            assertThat(c.getVolumeMounts()).as(name + ": a writable /tmp").anyMatch(m -> m.getMountPath().equals("/tmp"));
            assertThat(c.getResources().getRequests()).as(name).containsKeys("cpu", "memory");
            assertThat(c.getResources().getLimits()).as(name).containsKeys("cpu", "memory");
            assertThat(c.getPorts().get(0).getContainerPort()).isEqualTo(8080);
            // credentials only from the Secret, never as plain values
            for (String secret : List.of("SHOPFLOW_API_PASSWORD", "SHOPFLOW_DB_PASSWORD")) {
                EnvVar env = env(c, secret);
                assertThat(env.getValue()).as(name + " " + secret).isNull();
                assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("shopflow-credentials");
            }
            assertThat(env(c, "SHOPFLOW_DB_URL").getValue()).isEqualTo("jdbc:postgresql://shopflow-postgresql:5432/shopflow");
        }
        assertThat(of(objects, Service.class)).hasSize(SERVICES.size() + 1);
        StatefulSet postgres = of(objects, StatefulSet.class).get(0);
        assertThat(postgres.getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources().getRequests().get("storage"))
                .hasToString("10Gi");
        assertThat(of(objects, Secret.class)).singleElement().satisfies(s -> assertThat(s.getData())
                .containsKeys("api-user", "api-password", "db-password", "db-password-analytics"));
        assertThat(of(objects, HorizontalPodAutoscaler.class)).singleElement()
                .satisfies(h -> assertThat(h.getSpec().getScaleTargetRef().getName()).isEqualTo("shopflow-analytics-api"));
        assertThat(of(objects, PodDisruptionBudget.class)).hasSize(SERVICES.size());
        assertThat(of(objects, NetworkPolicy.class)).hasSize(SERVICES.size() + 1);
    }

    /**
     * Rollouts drain (preStop sleep, then the shutdown delay, then 30 s for requests in flight, all
     * inside the grace period); logs are JSON; spans go out only when an OTLP endpoint is set.
     */
    @Test
    void shouldDrainStoppingPodsLogJsonAndExportTracesOnlyWhenAskedTo() throws Exception {
        for (Deployment d : of(render(Map.of()), Deployment.class)) {
            String name = d.getMetadata().getName();
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            Container c = pod.getContainers().get(0);
            assertThat(c.getLifecycle().getPreStop().getExec().getCommand()).as(name).containsExactly("sleep", "5");
            assertThat(env(c, "SHOPFLOW_SHUTDOWN_DELAY").getValue()).as(name).isEqualTo("5s");
            assertThat(pod.getTerminationGracePeriodSeconds()).as(name + ": grace > preStop + delay + drain").isGreaterThan(5 + 5 + 30);
            assertThat(env(c, "SHOPFLOW_LOG_JSON").getValue()).as(name).isEqualTo("true");
            assertThat(c.getEnv()).as(name).noneMatch(e -> e.getName().equals("SHOPFLOW_OTLP_ENDPOINT"));
        }
        for (Deployment d : of(render(Map.of("tracing.otlpEndpoint", "http://otel-collector.observability:4318",
                "tracing.protocol", "http/protobuf", "logging.json", "false", "rollout.preStopSleepSeconds", "0")), Deployment.class)) {
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(env(c, "SHOPFLOW_OTLP_ENDPOINT").getValue()).isEqualTo("http://otel-collector.observability:4318");
            assertThat(env(c, "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL").getValue()).isEqualTo("http/protobuf");
            assertThat(env(c, "SHOPFLOW_LOG_JSON").getValue()).isEqualTo("false");
            assertThat(c.getLifecycle()).isNull();
        }
        assertThatThrownBy(() -> render(Map.of("rollout.shutdownDelay", "15s")))
                .hasMessageContaining("terminationGracePeriodSeconds (45) must exceed").hasMessageContaining("(50 s)");
        assertThatThrownBy(() -> render(Map.of("rollout.shutdownDelay", "soon"))).hasMessageContaining("shutdownDelay");
        assertThatThrownBy(() -> render(Map.of("tracing.protocol", "udp"))).hasMessageContaining("protocol");
        render(Map.of("rollout.shutdownDelay", "1m", "services.analytics.terminationGracePeriodSeconds", "120",
                "services.generator.terminationGracePeriodSeconds", "120", "services.ingestion.terminationGracePeriodSeconds", "120",
                "services.transform.terminationGracePeriodSeconds", "120", "services.quality.terminationGracePeriodSeconds", "120"));
    }

    @Test
    void shouldGiveEveryServiceItsOwnDatabaseRoleCreatedAtTheDatabasesInit() throws Exception {
        List<HasMetadata> objects = render(Map.of());
        Secret secret = of(objects, Secret.class).get(0);
        for (Deployment d : of(objects, Deployment.class)) {
            String key = d.getMetadata().getLabels().get("app.kubernetes.io/component");
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(env(c, "SHOPFLOW_DB_USER").getValue()).isEqualTo("shopflow_" + key);
            assertThat(env(c, "SHOPFLOW_DB_PASSWORD").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("db-password-" + key);
            assertThat(secret.getData()).containsKey("db-password-" + key);
        }
        StatefulSet postgres = of(objects, StatefulSet.class).get(0);
        PodSpec pod = postgres.getSpec().getTemplate().getSpec();
        Container db = pod.getContainers().get(0);
        assertThat(db.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals("/docker-entrypoint-initdb.d"));
        assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals("init")).singleElement()
                .satisfies(v -> assertThat(v.getConfigMap().getItems().get(0).getPath()).isEqualTo("10-shopflow-roles.sh"));
        for (String key : List.of("generator", "ingestion", "transform", "quality", "analytics")) {
            assertThat(env(db, "SHOPFLOW_DB_PASSWORD_" + key.toUpperCase()).getValueFrom().getSecretKeyRef().getKey())
                    .isEqualTo("db-password-" + key);
        }
        // the ConfigMap carries the chart's files as they are (DatabaseRolesInitTests runs those against PostgreSQL)
        ConfigMap init = of(objects, ConfigMap.class).stream().filter(m -> m.getMetadata().getName().equals("shopflow-postgresql-init"))
                .findFirst().orElseThrow();
        assertThat(init.getData().get("roles.sql")).isEqualTo(Files.readString(CHART.resolve("files/db/roles.sql")));
        assertThat(init.getData().get("init-roles.sh")).isEqualTo(Files.readString(CHART.resolve("files/db/init-roles.sh")));

        // one user for every service when asked (an external database where roles cannot be made)
        List<HasMetadata> shared = render(Map.of("database.serviceRoles", "false"));
        for (Deployment d : of(shared, Deployment.class)) {
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(env(c, "SHOPFLOW_DB_USER").getValue()).isEqualTo("shopflow");
            assertThat(env(c, "SHOPFLOW_DB_PASSWORD").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("db-password");
        }
        assertThat(of(shared, ConfigMap.class)).noneMatch(m -> m.getMetadata().getName().endsWith("postgresql-init"));

        // given passwords: the service passwords derive from them, so a later render (an upgrade) keeps them
        Map<String, String> given = Map.of("credentials.dbPassword", "owner-secret", "credentials.apiPassword", "api-secret");
        Map<String, String> once = of(render(given), Secret.class).get(0).getData();
        Map<String, String> again = of(render(given), Secret.class).get(0).getData();
        assertThat(again).isEqualTo(once);
        assertThat(once.get("db-password-ingestion")).isNotEqualTo(once.get("db-password-analytics"))
                .isNotEqualTo(once.get("db-password"));
    }

    @Test
    void shouldScheduleTheDailyGenerationWithoutOverlap() throws Exception {
        CronJob job = of(render(Map.of("cronjob.schedule", "0 3 * * *")), CronJob.class).get(0);
        assertThat(job.getSpec().getSchedule()).isEqualTo("0 3 * * *");
        assertThat(job.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
        assertThat(job.getSpec().getJobTemplate().getSpec().getBackoffLimit()).isEqualTo(2);
        assertThat(job.getSpec().getSuccessfulJobsHistoryLimit()).isEqualTo(3);
        Container c = job.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(String.join("\n", c.getCommand())).contains("generation-runs?wait=true").contains("--fail-with-body");
        assertThat(env(c, "GENERATOR_URL").getValue()).isEqualTo("http://shopflow-generator-service:8080");
    }

    @Test
    void shouldLetTheServiceMonitorSelectEveryServiceButTheDatabase() throws Exception {
        List<HasMetadata> objects = render(OPERATOR);
        ServiceMonitor monitor = of(objects, ServiceMonitor.class).get(0);
        assertThat(monitor.getSpec().getEndpoints().get(0).getPath()).isEqualTo("/q/metrics");
        for (Service s : of(objects, Service.class)) {
            Map<String, String> labels = s.getMetadata().getLabels();
            boolean selected = labels.entrySet().containsAll(monitor.getSpec().getSelector().getMatchLabels().entrySet())
                    && monitor.getSpec().getSelector().getMatchExpressions().stream()
                            .allMatch(e -> !e.getValues().contains(labels.get(e.getKey())));
            assertThat(selected).as(s.getMetadata().getName()).isEqualTo(!labels.get("app.kubernetes.io/name").equals("postgresql"));
        }
        assertThat(of(render(Map.of("monitoring.operatorCrds", "true", "monitoring.serviceMonitor.enabled", "false")),
                ServiceMonitor.class)).isEmpty();
    }

    /**
     * kube-prometheus-stack finds the ServiceMonitor and PrometheusRule by its release label, and the
     * Grafana sidecar the dashboards by its label, folder annotation and namespace; where the Prometheus
     * Operator's CRDs are missing (or helm template cannot tell), they are not rendered unless asked.
     */
    @Test
    void shouldRenderTheOperatorObjectsOnlyWhereTheirCrdsAreAndLabelledForTheStack() throws Exception {
        // helm template sees no cluster, so no monitoring.coreos.com/v1: nothing the install would fail on
        List<HasMetadata> plain = render(Map.of());
        assertThat(of(plain, ServiceMonitor.class)).isEmpty();
        assertThat(of(plain, PrometheusRule.class)).isEmpty();
        assertThat(of(render(Map.of("monitoring.operatorCrds", "false")), ServiceMonitor.class)).isEmpty();

        Map<String, String> stack = new HashMap<>(OPERATOR);
        stack.putAll(Map.of("monitoring.serviceMonitor.labels.release", "kube-prometheus-stack",
                "monitoring.serviceMonitor.namespace", "monitoring", "monitoring.serviceMonitor.interval", "15s",
                "monitoring.prometheusRule.labels.release", "kube-prometheus-stack", "monitoring.prometheusRule.namespace", "monitoring",
                "monitoring.dashboards.labels.grafana_dashboard", "shopflow", "monitoring.dashboards.annotations.grafana_folder", "ShopFlow",
                "monitoring.dashboards.namespace", "grafana"));
        List<HasMetadata> objects = render(stack);
        ServiceMonitor monitor = of(objects, ServiceMonitor.class).get(0);
        assertThat(monitor.getMetadata().getNamespace()).isEqualTo("monitoring");
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack")
                .containsEntry("app.kubernetes.io/part-of", "shopflow");
        assertThat(monitor.getSpec().getNamespaceSelector().getMatchNames()).containsExactly("shopflow");
        assertThat(monitor.getSpec().getEndpoints().get(0).getInterval()).isEqualTo("15s");
        PrometheusRule rule = of(objects, PrometheusRule.class).get(0);
        assertThat(rule.getMetadata().getNamespace()).isEqualTo("monitoring");
        assertThat(rule.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
        List<ConfigMap> dashboards = of(objects, ConfigMap.class).stream()
                .filter(m -> m.getMetadata().getName().contains("-dashboard-")).toList();
        assertThat(dashboards).hasSize(3).allSatisfy(m -> {
            assertThat(m.getMetadata().getNamespace()).isEqualTo("grafana");
            assertThat(m.getMetadata().getLabels()).containsEntry("grafana_dashboard", "shopflow");
            assertThat(m.getMetadata().getAnnotations()).containsEntry("grafana_folder", "ShopFlow");
        });
        // by default: in the release's namespace, the sidecar's default label, no annotation
        assertThat(of(plain, ConfigMap.class).stream().filter(m -> m.getMetadata().getName().contains("-dashboard-")))
                .hasSize(3).allSatisfy(m -> {
                    assertThat(m.getMetadata().getNamespace()).isNull();
                    assertThat(m.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
                    assertThat(m.getMetadata().getAnnotations()).isNullOrEmpty();
                });
        assertThatThrownBy(() -> render(Map.of("monitoring.operatorCrds", "sometimes"))).hasMessageContaining("operatorCrds");
    }

    @Test
    void shouldUseAnExternalDatabaseInsteadOfItsOwn() throws Exception {
        List<HasMetadata> objects = render(Map.of("postgresql.enabled", "false",
                "database.url", "jdbc:postgresql://db.example.com:5432/shopflow"));
        assertThat(of(objects, StatefulSet.class)).isEmpty();
        for (Deployment d : of(objects, Deployment.class)) {
            assertThat(env(d.getSpec().getTemplate().getSpec().getContainers().get(0), "SHOPFLOW_DB_URL").getValue())
                    .isEqualTo("jdbc:postgresql://db.example.com:5432/shopflow");
        }
        assertThatThrownBy(() -> render(Map.of("postgresql.enabled", "false"))).hasMessageContaining("database.url is required");
    }

    @Test
    void shouldScaleServicesAndUseAnExistingSecret() throws Exception {
        List<HasMetadata> objects = render(Map.of("services.ingestion.replicas", "3", "services.transform.replicas", "3",
                "services.quality.replicas", "3", "services.generator.replicas", "3", "autoscaling.analytics.enabled", "false",
                "services.analytics.replicas", "3", "credentials.existingSecret", "my-secret"));
        assertThat(of(objects, Deployment.class)).allSatisfy(d -> assertThat(d.getSpec().getReplicas()).isEqualTo(3));
        assertThat(of(objects, HorizontalPodAutoscaler.class)).isEmpty();
        assertThat(of(objects, Secret.class)).isEmpty();
        assertThat(of(objects, PodDisruptionBudget.class)).allSatisfy(p -> assertThat(p.getSpec().getMinAvailable().getIntVal()).isEqualTo(1));
    }

    @Test
    void shouldMountAQualityChecksFileGivenInTheValues() throws Exception {
        List<HasMetadata> objects = render(Map.of("qualityChecks", "checks: []"));
        assertThat(of(objects, ConfigMap.class)).filteredOn(m -> m.getMetadata().getName().endsWith("quality-checks"))
                .singleElement().satisfies(m -> assertThat(m.getData().get("checks.yaml")).contains("checks: []"));
        Deployment quality = of(objects, Deployment.class).stream()
                .filter(d -> d.getMetadata().getName().endsWith("quality-service")).findFirst().orElseThrow();
        assertThat(env(quality.getSpec().getTemplate().getSpec().getContainers().get(0), "SHOPFLOW_QUALITY_CHECKS_FILE").getValue())
                .isEqualTo("/config/checks.yaml");
    }

    /**
     * Sources (docs/sources.md): the file as a ConfigMap mounted into ingestion only, each password_env
     * from a Secret key (never a value in the rendered objects), volumes of exports mounted read-only, and
     * a changed file rolls ingestion alone.
     */
    @Test
    void shouldGiveIngestionTheSourcesFileItsSecretReferencesAndItsVolumes() throws Exception {
        Map<String, String> values = Map.of("sources.file", "sources: []",
                "sources.passwords[0].name", "SHOPDB_PASSWORD", "sources.passwords[0].secretName", "shopdb-reader",
                "sources.passwords[0].key", "password",
                "sources.volumes[0].name", "exports", "sources.volumes[0].mountPath", "/data/exports",
                "sources.volumes[0].persistentVolumeClaim.claimName", "shop-exports");
        List<HasMetadata> objects = render(values);
        assertThat(of(objects, ConfigMap.class)).filteredOn(m -> m.getMetadata().getName().endsWith("-sources"))
                .singleElement().satisfies(m -> assertThat(m.getData().get("sources.yaml")).contains("sources: []"));
        for (Deployment d : of(objects, Deployment.class)) {
            var pod = d.getSpec().getTemplate().getSpec();
            var container = pod.getContainers().get(0);
            boolean ingestion = d.getMetadata().getName().endsWith("ingestion-service");
            if (!ingestion) {
                assertThat(container.getEnv()).extracting(e -> e.getName()).doesNotContain("SHOPFLOW_SOURCES_FILE", "SHOPDB_PASSWORD");
                assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations()).doesNotContainKey("checksum/sources");
                continue;
            }
            assertThat(env(container, "SHOPFLOW_SOURCES_FILE").getValue()).isEqualTo("/sources/sources.yaml");
            var password = env(container, "SHOPDB_PASSWORD");
            assertThat(password.getValue()).isNull();
            assertThat(password.getValueFrom().getSecretKeyRef().getName()).isEqualTo("shopdb-reader");
            assertThat(password.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
            assertThat(container.getVolumeMounts()).anySatisfy(m -> {
                assertThat(m.getMountPath()).isEqualTo("/data/exports");
                assertThat(m.getReadOnly()).isTrue();
            });
            assertThat(pod.getVolumes()).filteredOn(v -> v.getPersistentVolumeClaim() != null).singleElement()
                    .satisfies(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("shop-exports"));
            assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations()).containsKey("checksum/sources");
        }
        // without a sources file nothing of it is rendered
        assertThat(of(render(Map.of()), ConfigMap.class)).noneMatch(m -> m.getMetadata().getName().endsWith("-sources"));
    }

    /** Every pool at its maximum in every replica the chart allows, plus the reserve, fits max_connections. */
    @Test
    void shouldFitEveryPoolAtItsMaximumIntoTheDatabasesConnections() throws Exception {
        List<HasMetadata> objects = render(Map.of());
        StatefulSet db = of(objects, StatefulSet.class).get(0);
        assertThat(db.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                .containsExactly("-c", "max_connections=200");
        int worstCase = 0;
        for (Deployment d : of(objects, Deployment.class)) {
            int pool = Integer.parseInt(env(d.getSpec().getTemplate().getSpec().getContainers().get(0),
                    "QUARKUS_DATASOURCE_JDBC_MAX_SIZE").getValue());
            int replicas = d.getSpec().getReplicas() != null ? d.getSpec().getReplicas()
                    : of(objects, HorizontalPodAutoscaler.class).get(0).getSpec().getMaxReplicas();
            worstCase += pool * replicas;
        }
        assertThat(worstCase).as("pools x replicas at the HPA maximum").isEqualTo(16 * 6 + 4 + 8 * 2 + 8 + 8);
        assertThat(worstCase + 10).isLessThanOrEqualTo(200);

        // the worst case that still fits renders; one connection more fails the render and says why
        int fits = 16 * 12 + 4 + 8 * 2 + 8 + 8 + 10;
        render(Map.of("autoscaling.analytics.maxReplicas", "12", "database.maxConnections", Integer.toString(fits)));
        assertThatThrownBy(() -> render(Map.of("autoscaling.analytics.maxReplicas", "12",
                "database.maxConnections", Integer.toString(fits - 1))))
                .hasMessageContaining("connection budget exceeded")
                .hasMessageContaining("= " + fits + " > database.maxConnections " + (fits - 1));
        // without the HPA the replicas count; an external database is checked against its own limit
        assertThatThrownBy(() -> render(Map.of("autoscaling.analytics.enabled", "false", "services.analytics.replicas", "20",
                "postgresql.enabled", "false", "database.url", "jdbc:postgresql://db:5432/shopflow")))
                .hasMessageContaining("connection budget exceeded");
    }

    @Test
    void shouldRefuseValuesTheSchemaDoesNotKnow() {
        assertThatThrownBy(() -> render(Map.of("services.analytics.replica", "2"))).hasMessageContaining("replica");
        assertThatThrownBy(() -> render(Map.of("cronjob.defectRate", "2"))).hasMessageContaining("defectRate");
    }

    /**
     * Conventions of well-kept charts: one ServiceAccount without a mounted token (no pod calls the
     * Kubernetes API), scheduling and pod metadata knobs globally and per service, a name override,
     * the app version on every object.
     */
    @Test
    void shouldRunPodsWithoutATokenAndTakeSchedulingAndNamingKnobs() throws Exception {
        List<HasMetadata> plain = render(Map.of());
        assertThat(of(plain, ServiceAccount.class)).singleElement().satisfies(sa -> {
            assertThat(sa.getMetadata().getName()).isEqualTo("shopflow");
            assertThat(sa.getAutomountServiceAccountToken()).isFalse();
        });
        for (Deployment d : of(plain, Deployment.class)) {
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            assertThat(pod.getServiceAccountName()).as(d.getMetadata().getName()).isEqualTo("shopflow");
            assertThat(pod.getAutomountServiceAccountToken()).as(d.getMetadata().getName()).isFalse();
            assertThat(pod.getNodeSelector()).isNullOrEmpty();
            assertThat(pod.getTolerations()).isNullOrEmpty();
        }
        assertThat(of(plain, CronJob.class).get(0).getSpec().getJobTemplate().getSpec().getTemplate().getSpec()
                .getAutomountServiceAccountToken()).isFalse();
        assertThat(of(plain, StatefulSet.class).get(0).getSpec().getTemplate().getSpec().getAutomountServiceAccountToken()).isFalse();
        assertThat(plain).allSatisfy(o -> assertThat(o.getMetadata().getLabels()).as(o.getKind() + " " + o.getMetadata().getName())
                .containsEntry("app.kubernetes.io/version", "0.1.0"));

        Map<String, String> knobs = new HashMap<>(Map.of("global.nodeSelector.pool", "shared",
                "services.ingestion.nodeSelector.pool", "io", "services.transform.tolerations[0].key", "batch",
                "services.transform.tolerations[0].operator", "Exists", "global.podAnnotations.team", "data",
                "services.analytics.podLabels.tier", "api", "fullnameOverride", "kpis",
                "serviceAccount.name", "shopflow-runner", "serviceAccount.annotations.owner", "platform"));
        List<HasMetadata> objects = render(knobs);
        Map<String, PodSpec> pods = new HashMap<>();
        Map<String, Map<String, String>> podLabels = new HashMap<>();
        Map<String, Map<String, String>> podAnnotations = new HashMap<>();
        for (Deployment d : of(objects, Deployment.class)) {
            String component = d.getMetadata().getLabels().get("app.kubernetes.io/component");
            assertThat(d.getMetadata().getName()).startsWith("kpis-");
            pods.put(component, d.getSpec().getTemplate().getSpec());
            podLabels.put(component, d.getSpec().getTemplate().getMetadata().getLabels());
            podAnnotations.put(component, d.getSpec().getTemplate().getMetadata().getAnnotations());
        }
        assertThat(pods.get("ingestion").getNodeSelector()).containsExactly(Map.entry("pool", "io"));
        assertThat(pods.get("quality").getNodeSelector()).containsExactly(Map.entry("pool", "shared"));
        assertThat(pods.get("transform").getTolerations()).singleElement().satisfies(t -> assertThat(t.getKey()).isEqualTo("batch"));
        assertThat(pods.get("quality").getTolerations()).isNullOrEmpty();
        assertThat(podAnnotations.values()).allSatisfy(a -> assertThat(a).containsEntry("team", "data"));
        assertThat(podLabels.get("analytics")).containsEntry("tier", "api");
        assertThat(podLabels.get("quality")).doesNotContainKey("tier");
        assertThat(pods.values()).allSatisfy(p -> assertThat(p.getServiceAccountName()).isEqualTo("shopflow-runner"));
        assertThat(of(objects, ServiceAccount.class)).singleElement()
                .satisfies(sa -> assertThat(sa.getMetadata().getAnnotations()).containsEntry("owner", "platform"));
        assertThat(of(objects, Service.class)).allSatisfy(svc -> assertThat(svc.getMetadata().getName()).startsWith("kpis-"));
        // no ServiceAccount of ours: the pods run as the namespace's default, still without a token
        List<HasMetadata> none = render(Map.of("serviceAccount.create", "false"));
        assertThat(of(none, ServiceAccount.class)).isEmpty();
        assertThat(of(none, Deployment.class)).allSatisfy(d -> {
            assertThat(d.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("default");
            assertThat(d.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken()).isFalse();
        });
        assertThatThrownBy(() -> render(Map.of("fullnameOverride", "Not_A_Name"))).hasMessageContaining("fullnameOverride");
    }

    /**
     * Every variant a platform team installs, as chart-testing would: each ci/*-values.yaml renders (its
     * values checked by the schema), reads strictly into the Kubernetes model, and shows what makes it that variant.
     */
    @Test
    void shouldRenderEveryCiVariant() throws Exception {
        Map<String, List<HasMetadata>> variants = new TreeMap<>();
        try (var files = Files.list(CHART.resolve("ci"))) {
            for (Path f : files.filter(p -> p.toString().endsWith("-values.yaml")).sorted().toList()) {
                variants.put(f.getFileName().toString().replace("-values.yaml", ""), render(CHART, Map.of(), f));
            }
        }
        assertThat(variants).containsOnlyKeys("default", "external-db", "cnpg", "monitoring-off", "no-crds", "ingress", "gitops");

        List<HasMetadata> plain = variants.get("default");
        assertThat(of(plain, StatefulSet.class)).hasSize(1);
        assertThat(of(plain, ServiceMonitor.class)).isEmpty();
        assertThat(of(plain, Ingress.class)).isEmpty();

        List<HasMetadata> external = variants.get("external-db");
        assertThat(of(external, StatefulSet.class)).isEmpty();
        assertThat(external).noneMatch(o -> o.getKind().equals("Cluster"));
        assertThat(of(external, Deployment.class)).allSatisfy(d -> assertThat(env(container(d), "SHOPFLOW_DB_URL").getValue())
                .isEqualTo("jdbc:postgresql://db.example.com:5432/shopflow?sslmode=require"));

        List<HasMetadata> cnpg = variants.get("cnpg");
        assertThat(of(cnpg, StatefulSet.class)).isEmpty();
        assertThat(cnpg).filteredOn(o -> o.getKind().equals("Cluster")).hasSize(1);
        assertThat(cnpg).filteredOn(o -> o.getKind().equals("ScheduledBackup")).hasSize(1);
        assertThat(of(cnpg, PodMonitor.class)).hasSize(1);

        List<HasMetadata> off = variants.get("monitoring-off");
        assertThat(of(off, ServiceMonitor.class)).isEmpty();
        assertThat(of(off, PrometheusRule.class)).isEmpty();
        assertThat(of(off, ConfigMap.class)).noneMatch(m -> m.getMetadata().getName().contains("-dashboard-"));

        List<HasMetadata> noCrds = variants.get("no-crds");
        assertThat(noCrds).noneMatch(o -> o.getApiVersion().startsWith("monitoring.coreos.com"));
        assertThat(of(noCrds, ConfigMap.class)).anyMatch(m -> m.getMetadata().getName().contains("-dashboard-"));

        List<HasMetadata> ingress = variants.get("ingress");
        assertThat(of(ingress, Ingress.class)).singleElement().satisfies(i -> {
            assertThat(i.getSpec().getIngressClassName()).isEqualTo("nginx");
            assertThat(i.getSpec().getRules().get(0).getHost()).isEqualTo("kpis.shop.example");
            assertThat(i.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService().getName())
                    .isEqualTo("shopflow-analytics-api");
            assertThat(i.getSpec().getTls().get(0).getSecretName()).isEqualTo("kpis-tls");
            assertThat(i.getMetadata().getAnnotations()).containsEntry("cert-manager.io/cluster-issuer", "letsencrypt");
        });
        assertThat(of(ingress, ServiceMonitor.class).get(0).getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");

        List<HasMetadata> gitops = variants.get("gitops");
        assertThat(of(gitops, Secret.class)).isEmpty();
        assertThat(of(gitops, Deployment.class)).allSatisfy(d -> assertThat(env(container(d), "SHOPFLOW_DB_PASSWORD")
                .getValueFrom().getSecretKeyRef().getName()).isEqualTo("shopflow-credentials"));
    }

    /**
     * GitOps and upgrades: a Secret that already exists (helm upgrade, or a reinstall after an uninstall
     * kept it) is reused key by key through lookup; a render with nothing to find generates; given
     * passwords win. Every pod template carries checksums of the credentials and the configuration, so a
     * changed password or checks file rolls the pods.
     */
    @Test
    void shouldKeepExistingPasswordsAndRollPodsWhenCredentialsOrConfigChange() throws Exception {
        KubeApiStub cluster = KubeApiStub.get();
        try {
            Map<String, String> existing = new HashMap<>();
            for (String key : List.of("api-password", "db-password", "db-password-analytics", "db-password-generator",
                    "db-password-ingestion", "db-password-transform", "db-password-quality", "db-password-bi")) {
                existing.put(key, b64("kept-" + key));
            }
            existing.put("api-user", b64("shopflow"));
            cluster.putSecret("shopflow", "shopflow-credentials", existing);
            List<HasMetadata> upgrade = render(Map.of());
            assertThat(of(upgrade, Secret.class).get(0).getData()).isEqualTo(existing);
            assertThat(cluster.requests).contains("GET /api/v1/namespaces/shopflow/secrets/shopflow-credentials");
            assertThat(checksums(upgrade, "checksum/secret")).as("one Secret, one checksum").hasSize(1);
            assertThat(checksums(render(Map.of()), "checksum/secret")).isEqualTo(checksums(upgrade, "checksum/secret"));

            // the password changed in the Secret: the pods' checksum changes with it
            existing.put("api-password", b64("rotated"));
            cluster.putSecret("shopflow", "shopflow-credentials", existing);
            List<HasMetadata> rotated = render(Map.of());
            assertThat(of(rotated, Secret.class).get(0).getData().get("api-password")).isEqualTo(b64("rotated"));
            assertThat(checksums(rotated, "checksum/secret")).hasSize(1).doesNotContainAnyElementsOf(checksums(upgrade, "checksum/secret"));

            // given passwords win over what the cluster has
            Map<String, String> given = of(render(Map.of("credentials.apiPassword", "given", "credentials.dbPassword", "owner")),
                    Secret.class).get(0).getData();
            assertThat(given.get("api-password")).isEqualTo(b64("given"));
            assertThat(given.get("db-password-bi")).isNotEqualTo(existing.get("db-password-bi"));
        } finally {
            cluster.clear();
        }
        // nothing to find: generated, and different on every render (hence existingSecret for GitOps)
        assertThat(of(render(Map.of()), Secret.class).get(0).getData().get("api-password"))
                .isNotEqualTo(of(render(Map.of()), Secret.class).get(0).getData().get("api-password"));
        // a different checks file rolls the pods (checksum/config), the same one does not
        Set<String> checks = checksums(render(Map.of("qualityChecks", "checks: []")), "checksum/config");
        assertThat(checks).hasSize(1)
                .isEqualTo(checksums(render(Map.of("qualityChecks", "checks: []")), "checksum/config"))
                .doesNotContainAnyElementsOf(checksums(render(Map.of("qualityChecks", "checks: [] # v2")), "checksum/config"));
        assertThat(of(render(Map.of()), StatefulSet.class).get(0).getSpec().getTemplate().getMetadata().getAnnotations())
                .containsKeys("checksum/secret", "checksum/config");
    }

    /**
     * The chart's conventions: names from nameOverride/fullnameOverride, selectors from one helper (a
     * Deployment's, its Service's, PDB's and NetworkPolicy's agree), per-service settings in values rather
     * than in templates (the /tmp size, who may call whom, an HPA for any service, an image digest).
     */
    @Test
    void shouldNameSelectAndConfigureEveryServiceFromValues() throws Exception {
        assertThat(names("prod", Map.of())).contains("prod-shopflow-analytics-api").allMatch(n -> n.startsWith("prod-shopflow"));
        assertThat(names("shopflow-prod", Map.of())).contains("shopflow-prod-analytics-api").allMatch(n -> n.startsWith("shopflow-prod"));
        assertThat(names("prod", Map.of("nameOverride", "kpi"))).contains("prod-kpi-analytics-api").allMatch(n -> n.startsWith("prod-kpi"));
        assertThat(names("prod", Map.of("fullnameOverride", "kpis"))).contains("kpis-analytics-api").allMatch(n -> n.startsWith("kpis"));

        List<HasMetadata> objects = render(Map.of("services.ingestion.tmpSize", "8Gi", "services.quality.calledBy[0]", "transform",
                "services.quality.calledBy[1]", "analytics", "autoscaling.ingestion.enabled", "true",
                "autoscaling.ingestion.minReplicas", "2", "autoscaling.ingestion.maxReplicas", "4",
                "autoscaling.ingestion.targetCPUUtilizationPercentage", "80",
                "services.generator.imageDigest", "sha256:" + "ab".repeat(32)));
        for (Deployment d : of(objects, Deployment.class)) {
            Map<String, String> selector = d.getSpec().getSelector().getMatchLabels();
            String name = d.getMetadata().getName();
            assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(selector);
            assertThat(of(objects, Service.class)).filteredOn(s -> s.getMetadata().getName().equals(name)).singleElement()
                    .satisfies(s -> assertThat(s.getSpec().getSelector()).isEqualTo(selector));
            assertThat(of(objects, PodDisruptionBudget.class)).filteredOn(p -> p.getMetadata().getName().equals(name)).singleElement()
                    .satisfies(p -> assertThat(p.getSpec().getSelector().getMatchLabels()).isEqualTo(selector));
            assertThat(of(objects, NetworkPolicy.class)).filteredOn(p -> p.getMetadata().getName().equals(name)).singleElement()
                    .satisfies(p -> assertThat(p.getSpec().getPodSelector().getMatchLabels()).isEqualTo(selector));
        }
        Map<String, Deployment> byKey = new HashMap<>();
        of(objects, Deployment.class).forEach(d -> byKey.put(d.getMetadata().getLabels().get("app.kubernetes.io/component"), d));
        assertThat(byKey.get("ingestion").getSpec().getTemplate().getSpec().getVolumes().get(0).getEmptyDir().getSizeLimit())
                .hasToString("8Gi");
        assertThat(byKey.get("transform").getSpec().getTemplate().getSpec().getVolumes().get(0).getEmptyDir().getSizeLimit())
                .hasToString("256Mi");
        assertThat(container(byKey.get("generator")).getImage()).isEqualTo("ghcr.io/shopflow/generator-service:0.1.0@sha256:" + "ab".repeat(32));
        assertThat(container(byKey.get("quality")).getImage()).isEqualTo("ghcr.io/shopflow/quality-service:0.1.0");
        // an HPA for ingestion: no fixed replicas, its own HPA, its maximum in the connection budget
        assertThat(byKey.get("ingestion").getSpec().getReplicas()).isNull();
        assertThat(of(objects, HorizontalPodAutoscaler.class)).extracting(h -> h.getSpec().getScaleTargetRef().getName())
                .containsExactlyInAnyOrder("shopflow-analytics-api", "shopflow-ingestion-service");
        int fits = 16 * 6 + 4 + 8 * 4 + 8 + 8 + 10;
        render(Map.of("autoscaling.ingestion.enabled", "true", "autoscaling.ingestion.minReplicas", "2",
                "autoscaling.ingestion.maxReplicas", "4", "autoscaling.ingestion.targetCPUUtilizationPercentage", "80",
                "database.maxConnections", Integer.toString(fits)));
        assertThatThrownBy(() -> render(Map.of("autoscaling.ingestion.enabled", "true", "autoscaling.ingestion.minReplicas", "2",
                "autoscaling.ingestion.maxReplicas", "4", "autoscaling.ingestion.targetCPUUtilizationPercentage", "80",
                "database.maxConnections", Integer.toString(fits - 1)))).hasMessageContaining("connection budget exceeded");
        // quality now also admits analytics' pods
        NetworkPolicy quality = of(objects, NetworkPolicy.class).stream()
                .filter(p -> p.getMetadata().getName().equals("shopflow-quality-service")).findFirst().orElseThrow();
        assertThat(quality.getSpec().getIngress().get(0).getFrom()).extracting(f -> f.getPodSelector() == null ? null
                : f.getPodSelector().getMatchLabels().get("app.kubernetes.io/name"))
                .contains("transform-service", "analytics-api", "helm-test");
        assertThatThrownBy(() -> render(Map.of("services.quality.calledBy[0]", "nobody"))).hasMessageContaining("nobody is no service key");
        assertThatThrownBy(() -> render(Map.of("autoscaling.search.enabled", "true"))).hasMessageContaining("search");
    }

    /** helm test: one Pod that asks every service for readiness and the KPI API one question, through the Services. */
    @Test
    void shouldSmokeTestEveryServiceThroughItsServiceWithHelmTest() throws Exception {
        List<HasMetadata> objects = renderWithHooks(Map.of());
        Pod test = of(objects, Pod.class).stream().filter(p -> p.getMetadata().getName().equals("shopflow-smoke-test"))
                .findFirst().orElseThrow();
        Container c = test.getSpec().getContainers().get(0);
        for (Service s : of(objects, Service.class)) {
            String name = s.getMetadata().getName();
            if (!name.endsWith("postgresql")) {
                assertThat(c.getEnv()).as(name).anyMatch(e -> e.getValue().equals("http://" + name + ":8080"));
            }
        }
        String script = String.join("\n", c.getCommand());
        assertThat(script).contains("/q/health/ready", "/api/v1/kpis/summary", "not-yet-published", "--fail-with-body");
        assertThat(test.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(test.getSpec().getAutomountServiceAccountToken()).isFalse();
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        // the hook as helm sees it
        assertThat(Files.readString(CHART.resolve("templates/tests/smoke-test.yaml"))).contains("helm.sh/hook: test");
        // the NetworkPolicies let it in everywhere, and only when tests are on
        assertThat(of(objects, NetworkPolicy.class)).filteredOn(p -> !p.getMetadata().getName().endsWith("postgresql")
                && !p.getMetadata().getName().endsWith("analytics-api")).allSatisfy(p -> assertThat(p.getSpec().getIngress().get(0)
                .getFrom()).anyMatch(f -> f.getPodSelector() != null
                        && "helm-test".equals(f.getPodSelector().getMatchLabels().get("app.kubernetes.io/name"))));
        List<HasMetadata> off = renderWithHooks(Map.of("tests.enabled", "false"));
        assertThat(of(off, Pod.class)).isEmpty();
        assertThat(of(off, NetworkPolicy.class)).allSatisfy(p -> assertThat(p.getSpec().getIngress().get(0).getFrom())
                .noneMatch(f -> f.getPodSelector() != null
                        && "helm-test".equals(f.getPodSelector().getMatchLabels().get("app.kubernetes.io/name"))));
    }

    /**
     * A CloudNativePG Cluster instead of the StatefulSet: the services' roles (and BI's) as managed roles
     * whose passwords are exactly the chart Secret's, roles.sql's schemas and grants after initdb,
     * max_connections from the budget, backups and a PodMonitor; the services on its -rw Service.
     */
    @Test
    void shouldRunTheDatabaseAsACloudNativePgClusterWithTheChartsRoles() throws Exception {
        List<HasMetadata> objects = render(Map.of("postgresql.type", "cnpg", "monitoring.operatorCrds", "true",
                "postgresql.cnpg.backup.enabled", "true", "postgresql.cnpg.backup.destinationPath", "s3://b/shopflow",
                "postgresql.cnpg.backup.s3CredentialsSecret", "s3"));
        GenericKubernetesResource cluster = objects.stream().filter(o -> o.getKind().equals("Cluster"))
                .map(GenericKubernetesResource.class::cast).findFirst().orElseThrow();
        assertThat(cluster.getApiVersion()).isEqualTo("postgresql.cnpg.io/v1");
        Map<String, Object> spec = cluster.get("spec");
        assertThat(spec).containsEntry("instances", 3);
        assertThat(cluster.<String>get("spec", "postgresql", "parameters", "max_connections")).isEqualTo("200");
        assertThat(cluster.<String>get("spec", "bootstrap", "initdb", "owner")).isEqualTo("shopflow");
        assertThat(cluster.<String>get("spec", "bootstrap", "initdb", "secret", "name")).isEqualTo("shopflow-credentials-owner");
        assertThat(cluster.<String>get("spec", "backup", "barmanObjectStore", "destinationPath")).isEqualTo("s3://b/shopflow");
        List<Map<String, Object>> roles = cluster.get("spec", "managed", "roles");
        assertThat(roles).extracting(r -> r.get("name")).containsExactlyInAnyOrder("shopflow_analytics", "shopflow_bi",
                "shopflow_generator", "shopflow_ingestion", "shopflow_quality", "shopflow_transform");

        Map<String, Secret> secrets = new HashMap<>();
        of(objects, Secret.class).forEach(sec -> secrets.put(sec.getMetadata().getName(), sec));
        Map<String, String> credentials = secrets.get("shopflow-credentials").getData();
        for (Map<String, Object> role : roles) {
            String name = (String) role.get("name");
            @SuppressWarnings("unchecked")
            Secret secret = secrets.get(((Map<String, String>) role.get("passwordSecret")).get("name"));
            assertThat(secret.getType()).isEqualTo("kubernetes.io/basic-auth");
            assertThat(secret.getData().get("username")).isEqualTo(b64(name));
            assertThat(secret.getData().get("password")).as(name)
                    .isEqualTo(credentials.get("db-password-" + name.substring("shopflow_".length())));
        }
        assertThat(secrets.get("shopflow-credentials-owner").getData().get("password")).isEqualTo(credentials.get("db-password"));
        ConfigMap init = of(objects, ConfigMap.class).stream().filter(m -> m.getMetadata().getName().equals("shopflow-postgresql-init"))
                .findFirst().orElseThrow();
        assertThat(init.getData().get("roles.sql")).isEqualTo(Files.readString(CHART.resolve("files/db/roles.sql")));
        assertThat(cluster.<List<Map<String, String>>>get("spec", "bootstrap", "initdb", "postInitApplicationSQLRefs", "configMapRefs"))
                .singleElement().satisfies(r -> assertThat(r).containsEntry("name", "shopflow-postgresql-init"));
        assertThat(of(objects, Deployment.class)).allSatisfy(d -> assertThat(env(container(d), "SHOPFLOW_DB_URL").getValue())
                .isEqualTo("jdbc:postgresql://shopflow-postgresql-rw:5432/shopflow"));
        assertThat(of(objects, StatefulSet.class)).isEmpty();
        assertThat(of(objects, NetworkPolicy.class)).noneMatch(p -> p.getMetadata().getName().endsWith("postgresql"));
        assertThat(of(objects, PodMonitor.class)).singleElement().satisfies(m -> assertThat(m.getSpec().getSelector().getMatchLabels())
                .containsEntry("cnpg.io/cluster", "shopflow-postgresql"));
        assertThat(objects).filteredOn(o -> o.getKind().equals("ScheduledBackup")).singleElement()
                .satisfies(o -> assertThat(((GenericKubernetesResource) o).<String>get("spec", "cluster", "name")).isEqualTo("shopflow-postgresql"));
        assertThatThrownBy(() -> render(Map.of("postgresql.type", "cnpg", "postgresql.cnpg.backup.enabled", "true")))
                .hasMessageContaining("destinationPath is required");
        assertThatThrownBy(() -> render(Map.of("postgresql.type", "mysql"))).hasMessageContaining("type");
    }

    /** The StatefulSet's optional postgres-exporter: a sidecar, a metrics port on the Service, its own ServiceMonitor. */
    @Test
    void shouldExportTheStatefulSetsMetricsWhenAsked() throws Exception {
        assertThat(of(render(Map.of()), StatefulSet.class).get(0).getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
        List<HasMetadata> objects = render(Map.of("postgresql.exporter.enabled", "true", "monitoring.operatorCrds", "true"));
        StatefulSet db = of(objects, StatefulSet.class).get(0);
        Container exporter = db.getSpec().getTemplate().getSpec().getContainers().get(1);
        assertThat(exporter.getPorts().get(0).getContainerPort()).isEqualTo(9187);
        assertThat(env(exporter, "DATA_SOURCE_PASS").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("db-password");
        assertThat(exporter.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        Service service = of(objects, Service.class).stream().filter(s -> s.getMetadata().getName().equals("shopflow-postgresql"))
                .findFirst().orElseThrow();
        assertThat(service.getSpec().getPorts()).extracting(p -> p.getName()).containsExactly("postgresql", "metrics");
        assertThat(of(objects, ServiceMonitor.class)).extracting(m -> m.getMetadata().getName())
                .containsExactlyInAnyOrder("shopflow", "shopflow-postgresql");
    }

    static String b64(String s) {
        return java.util.Base64.getEncoder().encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static Container container(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    /** The distinct values of a pod-template annotation across the Deployments. */
    static Set<String> checksums(List<HasMetadata> objects, String annotation) {
        Set<String> values = new java.util.HashSet<>();
        for (Deployment d : of(objects, Deployment.class)) {
            values.add(d.getSpec().getTemplate().getMetadata().getAnnotations().get(annotation));
        }
        assertThat(values).doesNotContainNull();
        return values;
    }

    static List<String> names(String release, Map<String, String> values) throws Exception {
        return parse(template(CHART, release, values, null).call()).stream().map(o -> o.getMetadata().getName()).toList();
    }

    /** The notes a newcomer reads after installing: credentials, the first backfill, when KPIs appear, where to look. */
    @Test
    void shouldTellANewcomerHowToGetCredentialsDataAndKpis() throws Exception {
        String notes = notes(Map.of());
        assertThat(notes).contains("kubectl -n shopflow get secret shopflow-credentials -o jsonpath='{.data.api-password}'",
                "not-yet-published", "create job backfill-1 --from=cronjob/shopflow-daily-generation",
                "name: GENERATION_FROM", "port-forward svc/shopflow-analytics-api 8080:8080", "/q/swagger-ui",
                "db-password-bi", "No ServiceMonitor or PrometheusRule", "grafana_dashboard", "docs/runbook.md");
        assertThat(notes(Map.of("cronjob.enabled", "false", "monitoring.operatorCrds", "true")))
                .contains("The daily CronJob is off", "ServiceMonitor and PrometheusRule shopflow are installed")
                .doesNotContain("backfill-1");
    }

    /**
     * templates/NOTES.txt as helm install would print it. helm template does not render notes (and a
     * dry-run install wants a cluster), so a copy of the chart renders the file through tpl into a ConfigMap.
     */
    static String notes(Map<String, String> values) throws Exception {
        Path copy = chartCopy();
        Files.copy(CHART.resolve("templates/NOTES.txt"), copy.resolve("files/notes.txt"));
        Files.writeString(copy.resolve("templates/zz-notes.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: rendered-notes\n"
                + "data:\n  notes: {{ tpl (.Files.Get \"files/notes.txt\") . | quote }}\n");
        return of(render(copy, values, null), ConfigMap.class).stream().filter(m -> m.getMetadata().getName().equals("rendered-notes"))
                .findFirst().orElseThrow().getData().get("notes");
    }

    /**
     * The chart with its hooks rendered as plain objects: helm template leaves hooks (the helm test Pod)
     * out of the manifest helm-java returns, so a copy of the chart drops the hook annotations.
     */
    static List<HasMetadata> renderWithHooks(Map<String, String> values) throws Exception {
        Path copy = chartCopy();
        Path test = copy.resolve("templates/tests/smoke-test.yaml");
        Files.writeString(test, Files.readString(test).replaceAll("(?m)^\\s*helm\\.sh/hook.*$\\n", ""));
        return render(copy, values, null);
    }

    static Path chartCopy() throws Exception {
        Path copy = Files.createTempDirectory("shopflow-chart");
        try (var files = Files.walk(CHART)) {
            for (Path f : files.toList()) {
                Path target = copy.resolve(CHART.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        return copy;
    }

    // --- helpers ----------------------------------------------------------------------------

    /** Values that render the Prometheus Operator's objects under helm template (which sees no cluster). */
    static final Map<String, String> OPERATOR = Map.of("monitoring.operatorCrds", "true");

    static List<HasMetadata> render(Map<String, String> values) throws Exception {
        return render(CHART, values, null);
    }

    /** helm template of a chart as release "shopflow" in namespace "shopflow", with a values file and --set values. */
    static List<HasMetadata> render(Path chart, Map<String, String> values, Path valuesFile) throws Exception {
        return parse(template(chart, "shopflow", values, valuesFile).call());
    }

    static TemplateCommand template(Path chart, String release, Map<String, String> values, Path valuesFile) {
        KubeApiStub.get(); // the chart's lookup calls reach it (see KubeApiStub)
        TemplateCommand template = new Helm(chart).template().withName(release).withNamespace("shopflow");
        if (valuesFile != null) {
            template.withValuesFile(valuesFile);
        }
        values.forEach(template::set);
        return template;
    }

    /** Every document of a multi-document YAML, read strictly into its model class. */
    static List<HasMetadata> parse(String out) throws Exception {
        List<HasMetadata> objects = new ArrayList<>();
        for (String doc : out.split("(?m)^---\\s*$")) {
            JsonNode tree = YAML.readTree(doc);
            if (tree == null || tree.isNull() || tree.isEmpty()) {
                continue;
            }
            String kind = tree.path("kind").asText();
            Class<? extends HasMetadata> type = KINDS.get(kind);
            assertThat(type).as("a model class for kind %s", kind).isNotNull();
            HasMetadata object = YAML.treeToValue(tree, type);
            if (!(object instanceof GenericKubernetesResource)) { // its fields are all "unknown": OperatorSchemaTests checks them
                assertNoUnknownFields(object, kind + " " + object.getMetadata().getName());
            }
            objects.add(object);
        }
        return objects;
    }

    /** fabric8 keeps fields it does not know in additionalProperties: every one of them must be empty. */
    static void assertNoUnknownFields(Object o, String path) throws Exception {
        if (o == null || o instanceof String || o instanceof Number || o instanceof Boolean) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                assertNoUnknownFields(e, path + "[" + i++ + "]");
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                assertNoUnknownFields(e.getValue(), path + "." + e.getKey());
            }
            return;
        }
        if (!o.getClass().getPackageName().startsWith("io.fabric8")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value = m.invoke(o);
            if (m.getName().equals("getAdditionalProperties")) {
                assertThat((Map<?, ?>) value).as("unknown fields at %s", path).isNullOrEmpty();
            } else {
                assertNoUnknownFields(value, path + "." + m.getName().substring(3));
            }
        }
    }

    static <T> List<T> of(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static EnvVar env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " has no " + name));
    }
}
