package dev.realitycheck.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realitycheck.deploy.kube.KubernetesSchemaValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Renders the chart with real Helm and checks every object against the Kubernetes API models. */
class ChartRenderingTest {

    private static final List<String> SERVICES = List.of("trainer", "embedding", "evaluation");

    private final KubernetesSchemaValidator validator = new KubernetesSchemaValidator();

    private RenderedObjects renderValid(Map<String, Object> set, java.nio.file.Path... valuesFiles) {
        RenderedObjects objects = RenderedObjects.parse(HelmChart.template(set, valuesFiles));
        List<String> problems = new ArrayList<>();
        for (JsonNode object : objects.all()) {
            problems.addAll(validator.problems(object));
        }
        assertThat(problems).as("schema problems of the rendered objects").isEmpty();
        return objects;
    }

    @Test
    void defaultValuesRenderValidObjectsOfEveryExpectedKind() {
        RenderedObjects objects = renderValid(Map.of());
        assertThat(objects.ofKind("Deployment")).hasSize(3);
        assertThat(objects.ofKind("Service")).hasSize(4);
        assertThat(objects.ofKind("HorizontalPodAutoscaler")).hasSize(1);
        assertThat(objects.ofKind("PodDisruptionBudget")).hasSize(1);
        assertThat(objects.ofKind("NetworkPolicy")).hasSize(4);
        assertThat(objects.ofKind("Job")).hasSize(1);
        assertThat(objects.ofKind("ConfigMap")).hasSize(3);
        assertThat(objects.ofKind("ServiceAccount")).hasSize(1);
        assertThat(objects.ofKind("Kafka")).isEmpty();
        assertThat(objects.ofKind("ServiceMonitor")).isEmpty();
    }

    @Test
    void everyServiceHasHealthProbesPrometheusAnnotationsAndALockedDownContainer() {
        RenderedObjects objects = renderValid(Map.of());
        for (String service : SERVICES) {
            JsonNode deployment = objects.get("Deployment", "rc-realitycheck-" + service);
            JsonNode container = RenderedObjects.container(deployment);
            assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
            assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
            assertThat(container.at("/ports/0/name").asText()).isEqualTo("grpc");
            assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
            assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).isFalse();
            assertThat(container.at("/securityContext/capabilities/drop/0").asText()).isEqualTo("ALL");
            JsonNode pod = deployment.at("/spec/template/spec");
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
            assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
            assertThat(mountPaths(container)).contains("/tmp", "/work", "/deployments/config");
            JsonNode annotations = deployment.at("/spec/template/metadata/annotations");
            assertThat(annotations.path("prometheus.io/scrape").asText()).isEqualTo("true");
            assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo("/q/metrics");
            assertThat(annotations.path("prometheus.io/port").asText()).isEqualTo(container.at("/ports/0/containerPort").asText());
        }
    }

    @Test
    void embeddingServiceHasANamedGrpcPortAHeadlessTwinAnAutoscalerAndADisruptionBudget() {
        RenderedObjects objects = renderValid(Map.of());
        JsonNode service = objects.get("Service", "rc-realitycheck-embedding");
        assertThat(service.at("/spec/ports/0/name").asText()).isEqualTo("grpc");
        assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(8082);
        JsonNode headless = objects.get("Service", "rc-realitycheck-embedding-headless");
        assertThat(headless.at("/spec/clusterIP").asText()).isEqualTo("None");
        JsonNode hpa = objects.get("HorizontalPodAutoscaler", "rc-realitycheck-embedding");
        assertThat(hpa.at("/spec/scaleTargetRef/name").asText()).isEqualTo("rc-realitycheck-embedding");
        assertThat(objects.get("Deployment", "rc-realitycheck-embedding").at("/spec/replicas").isMissingNode())
                .as("the autoscaler owns the replica count").isTrue();
        assertThat(objects.get("PodDisruptionBudget", "rc-realitycheck-embedding").at("/spec/minAvailable").asInt()).isEqualTo(1);
    }

    @Test
    void gpuValuesPutTrainersOnGpuNodesWithTheGpuImage() {
        RenderedObjects objects = renderValid(Map.of(), HelmChart.GPU_VALUES);
        JsonNode trainer = objects.get("Deployment", "rc-realitycheck-trainer");
        assertThat(trainer.at("/spec/replicas").asInt()).isEqualTo(4);
        JsonNode container = RenderedObjects.container(trainer);
        assertThat(container.at("/resources/limits").path("nvidia.com/gpu").asInt()).isEqualTo(1);
        assertThat(container.at("/image").asText()).isEqualTo("registry.example.com/realitycheck/trainer-service-gpu:0.1.0-SNAPSHOT");
        JsonNode pod = trainer.at("/spec/template/spec");
        assertThat(pod.at("/nodeSelector").path("nvidia.com/gpu.present").asText()).isEqualTo("true");
        assertThat(pod.at("/tolerations/0/key").asText()).isEqualTo("nvidia.com/gpu");
        assertThat(RenderedObjects.container(objects.get("Deployment", "rc-realitycheck-embedding")).at("/resources/limits")
                .has("nvidia.com/gpu")).as("only trainers take GPUs").isFalse();
    }

    @Test
    void aSharedWorkVolumeReplacesTheTrainersEmptyDir() {
        RenderedObjects objects = renderValid(Map.of("trainer.workVolume.persistentVolumeClaim.claimName", "trainer-work"));
        JsonNode volumes = objects.get("Deployment", "rc-realitycheck-trainer").at("/spec/template/spec/volumes");
        JsonNode work = null;
        for (JsonNode v : volumes) {
            if (v.path("name").asText().equals("work")) {
                work = v;
            }
        }
        assertThat(work).isNotNull();
        assertThat(work.at("/persistentVolumeClaim/claimName").asText()).isEqualTo("trainer-work");
        assertThat(work.has("emptyDir")).isFalse();
    }

    @Test
    void moreTrainersThanRunPartitionsIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> HelmChart.template(Map.of("trainer.replicas", 7, "topics.partitions", 6)))
                .hasMessageContaining("trainer.replicas (7) > topics.partitions (6)");
    }

    @Test
    void strimziValuesRenderAKraftClusterAndTheTopicsInsteadOfTheJob() {
        RenderedObjects objects = renderValid(Map.of("strimzi.enabled", true, "kafka.bootstrapServers", ""));
        assertThat(objects.ofKind("Kafka")).hasSize(1);
        assertThat(objects.ofKind("KafkaNodePool")).hasSize(1);
        assertThat(objects.ofKind("KafkaTopic")).hasSize(dev.realitycheck.transport.Topics.ALL.size());
        assertThat(objects.ofKind("Job")).isEmpty();
        assertThat(applicationProperties(objects, "trainer")).contains("kafka.bootstrap.servers=realitycheck-kafka-kafka-bootstrap:9092");
    }

    @Test
    void tlsAndSaslSettingsReachEveryServiceAsAClientFileAndASecretReference() {
        RenderedObjects objects = renderValid(Map.of("kafka.tls.enabled", true, "kafka.tls.caSecret.name", "kafka-ca",
                "kafka.sasl.enabled", true, "kafka.sasl.jaasConfigSecret.name", "rc-user"));
        String client = objects.get("ConfigMap", "rc-realitycheck-kafka-client").at("/data/client.properties").asText();
        assertThat(client).contains("security.protocol=SASL_SSL", "sasl.mechanism=SCRAM-SHA-512", "ssl.truststore.type=PEM",
                "ssl.truststore.location=/etc/realitycheck/kafka-ca/ca.crt");
        List<JsonNode> workloads = new ArrayList<>(objects.ofKind("Deployment"));
        workloads.addAll(objects.ofKind("Job"));
        for (JsonNode workload : workloads) {
            JsonNode container = RenderedObjects.container(workload);
            assertThat(env(container, "REALITYCHECK_KAFKA_CLIENT_CONFIG").path("value").asText())
                    .isEqualTo("/etc/realitycheck/kafka/client.properties");
            assertThat(env(container, "REALITYCHECK_KAFKA_SASL_JAAS_CONFIG").at("/valueFrom/secretKeyRef/name").asText())
                    .isEqualTo("rc-user");
            assertThat(mountPaths(container)).contains("/etc/realitycheck/kafka", "/etc/realitycheck/kafka-ca");
        }
    }

    @Test
    void saslWithoutTlsIsSaslPlaintextWithoutACaMount() {
        RenderedObjects objects = renderValid(Map.of("kafka.sasl.enabled", true, "kafka.sasl.mechanism", "PLAIN",
                "kafka.sasl.jaasConfigSecret.name", "rc-user"));
        String client = objects.get("ConfigMap", "rc-realitycheck-kafka-client").at("/data/client.properties").asText();
        assertThat(client).contains("security.protocol=SASL_PLAINTEXT", "sasl.mechanism=PLAIN").doesNotContain("ssl.");
        JsonNode container = RenderedObjects.container(objects.get("Deployment", "rc-realitycheck-evaluation"));
        assertThat(mountPaths(container)).contains("/etc/realitycheck/kafka").doesNotContain("/etc/realitycheck/kafka-ca");
    }

    @Test
    void withoutTlsOrSaslNoClientFileIsRendered() {
        RenderedObjects objects = renderValid(Map.of());
        assertThat(objects.ofKind("ConfigMap")).noneMatch(c -> c.at("/metadata/name").asText().endsWith("kafka-client"));
        JsonNode container = RenderedObjects.container(objects.get("Deployment", "rc-realitycheck-trainer"));
        assertThat(container.path("env").findValuesAsText("name")).doesNotContain("REALITYCHECK_KAFKA_CLIENT_CONFIG");
    }

    @Test
    void saslWithoutItsSecretOrKafkaWithoutBootstrapServersIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HelmChart.template(Map.of("kafka.sasl.enabled", true)))
                .hasMessageContaining("kafka.sasl.jaasConfigSecret.name is required");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HelmChart.template(Map.of("kafka.bootstrapServers", "")))
                .hasMessageContaining("kafka.bootstrapServers is required unless strimzi.enabled");
    }

    @Test
    void serviceMonitorSelectsTheThreeServicesButNotTheHeadlessOne() {
        RenderedObjects objects = renderValid(Map.of("metrics.serviceMonitor.enabled", true));
        JsonNode monitor = objects.get("ServiceMonitor", "rc-realitycheck");
        assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/q/metrics");
        assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo("grpc");
        long selected = objects.ofKind("Service").stream()
                .filter(s -> s.at("/metadata/labels").path("realitycheck.dev/metrics").asText().equals("true")).count();
        assertThat(selected).isEqualTo(3);
    }

    @Test
    void networkPoliciesAllowOnlyTheServicePortInAndKafkaAndDnsOut() {
        RenderedObjects objects = renderValid(Map.of());
        for (String service : SERVICES) {
            JsonNode policy = objects.get("NetworkPolicy", "rc-realitycheck-" + service);
            assertThat(policy.at("/spec/ingress/0/ports/0/port").asText()).isEqualTo("grpc");
            assertThat(policy.at("/spec/egress/0/ports").findValuesAsText("port")).containsExactly("9092", "9093");
            assertThat(policy.at("/spec/egress/1/ports/0/port").asInt()).isEqualTo(53);
        }
    }

    @Test
    void brokenValuesFailTheSchema() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HelmChart.template(Map.of("trainer.replicas", "many")))
                .hasMessageContaining("replicas");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HelmChart.template(Map.of("embedding.replica", 3)))
                .hasMessageContaining("replica");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HelmChart.template(Map.of("embedding.policy", "newest")))
                .hasMessageContaining("policy");
    }

    static String applicationProperties(RenderedObjects objects, String service) {
        return objects.get("ConfigMap", "rc-realitycheck-" + service).at("/data/application.properties").asText();
    }

    private static List<String> mountPaths(JsonNode container) {
        return container.path("volumeMounts").findValuesAsText("mountPath");
    }

    private static JsonNode env(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (e.path("name").asText().equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no env " + name + " in " + container.path("name").asText());
    }
}
