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
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
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
            Map.entry("ServiceMonitor", ServiceMonitor.class), Map.entry("PrometheusRule", PrometheusRule.class));
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
        Path copy = Files.createTempDirectory("shopflow-notes");
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
        Files.copy(CHART.resolve("templates/NOTES.txt"), copy.resolve("files/notes.txt"));
        Files.writeString(copy.resolve("templates/zz-notes.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: rendered-notes\n"
                + "data:\n  notes: {{ tpl (.Files.Get \"files/notes.txt\") . | quote }}\n");
        TemplateCommand template = new Helm(copy).template().withName("shopflow").withNamespace("shopflow");
        values.forEach(template::set);
        return of(parse(template.call()), ConfigMap.class).stream().filter(m -> m.getMetadata().getName().equals("rendered-notes"))
                .findFirst().orElseThrow().getData().get("notes");
    }

    // --- helpers ----------------------------------------------------------------------------

    /** Values that render the Prometheus Operator's objects under helm template (which sees no cluster). */
    static final Map<String, String> OPERATOR = Map.of("monitoring.operatorCrds", "true");

    static List<HasMetadata> render(Map<String, String> values) throws Exception {
        TemplateCommand template = new Helm(CHART).template().withName("shopflow").withNamespace("shopflow");
        values.forEach(template::set);
        return parse(template.call());
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
            assertNoUnknownFields(object, kind + " " + object.getMetadata().getName());
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
