package dev.realitycheck.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realitycheck.deploy.kube.KubernetesSchemaValidator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Renders the chart with real Helm and checks every object against the Kubernetes API models. */
class ChartRenderingTest {

    private static final List<String> SERVICES = List.of("trainer", "embedding", "evaluation");

    private final KubernetesSchemaValidator validator = new KubernetesSchemaValidator();

    RenderedObjects renderValid(Map<String, Object> set, Path... valuesFiles) {
        return validated(RenderedObjects.parse(HelmChart.template(set, valuesFiles)));
    }

    @Test
    void defaultValuesRenderValidObjectsOfEveryExpectedKind() {
        RenderedObjects objects = renderValid(Map.of());
        assertThat(objects.ofKind("Deployment")).hasSize(3);
        assertThat(objects.ofKind("Service")).hasSize(4);
        assertThat(objects.ofKind("HorizontalPodAutoscaler")).hasSize(1);
        assertThat(objects.ofKind("PodDisruptionBudget")).hasSize(1);
        assertThat(objects.ofKind("NetworkPolicy")).hasSize(5);
        assertThat(objects.ofKind("Job")).hasSize(2);
        assertThat(objects.ofKind("PersistentVolumeClaim")).hasSize(1);
        assertThat(objects.ofKind("Ingress")).isEmpty();
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
        assertThat(trainer.at("/spec/strategy/type").asText()).isEqualTo("Recreate");
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
        assertThat(objects.ofKind("Job")).as("the topics are KafkaTopics: no topic Job")
                .noneMatch(j -> j.at("/metadata/name").asText().startsWith("rc-realitycheck-topics"));
        assertThat(applicationProperties(objects, "trainer")).contains("kafka.bootstrap.servers=realitycheck-kafka-kafka-bootstrap:9092");
    }

    @Test
    void tlsAndSaslSettingsReachEveryServiceAsAClientFileAndASecretReference() {
        RenderedObjects objects = renderValid(Map.of("kafka.tls.enabled", true, "kafka.tls.caSecret.name", "kafka-ca",
                "kafka.sasl.enabled", true, "kafka.sasl.jaasConfigSecret.name", "rc-user"));
        String client = objects.get("ConfigMap", "rc-realitycheck-kafka-client").at("/data/client.properties").asText();
        assertThat(client).contains("security.protocol=SASL_SSL", "sasl.mechanism=SCRAM-SHA-512", "ssl.truststore.type=PEM",
                "ssl.truststore.location=/etc/realitycheck/kafka-ca/ca.crt");
        List<JsonNode> kafkaClients = workloads(objects).stream()
                .filter(w -> !w.at("/metadata/name").asText().startsWith("rc-realitycheck-datasets")).toList();
        assertThat(kafkaClients).hasSize(4);
        for (JsonNode workload : kafkaClients) {
            JsonNode container = RenderedObjects.container(workload);
            assertThat(env(container, "REALITYCHECK_KAFKA_CLIENT_CONFIG").path("value").asText())
                    .isEqualTo("/etc/realitycheck/kafka/client.properties");
            assertThat(env(container, "REALITYCHECK_KAFKA_SASL_JAAS_CONFIG").at("/valueFrom/secretKeyRef/name").asText())
                    .isEqualTo("rc-user");
            assertThat(mountPaths(container)).contains("/etc/realitycheck/kafka", "/etc/realitycheck/kafka-ca");
        }
    }

    @Test
    void everyServiceVerifiesTokensByDefaultAndServesMutualTlsFromSecretsWhenAsked() {
        for (String service : List.of("trainer", "embedding", "evaluation")) {
            JsonNode container = RenderedObjects.container(renderValid(Map.of()).get("Deployment", "rc-realitycheck-" + service));
            assertThat(env(container, "REALITYCHECK_SECURITY_ENABLED").path("value").asText()).isEqualTo("true");
            assertThat(env(container, "MP_JWT_VERIFY_PUBLICKEY_LOCATION").path("value").asText())
                    .isEqualTo("/etc/realitycheck/jwt/public.pem");
            assertThat(mountPaths(container)).contains("/etc/realitycheck/jwt", "/etc/realitycheck/tls");
            assertThat(container.at("/readinessProbe/httpGet/scheme").asText()).isEqualTo("HTTPS");
        }
        RenderedObjects objects = renderValid(Map.of("auth.jwt.publicKeySecret.name", "jwks", "tls.enabled", true,
                "tls.secretName", "rc-tls", "auth.tls.clientAuth", "required", "auth.tls.clientCaSecret.name", "clients-ca",
                "auth.tls.certificateRoles.ops-bot", "operator"));
        JsonNode deployment = objects.get("Deployment", "rc-realitycheck-evaluation");
        JsonNode container = RenderedObjects.container(deployment);
        assertThat(env(container, "QUARKUS_HTTP_SSL_CLIENT_AUTH").path("value").asText()).isEqualTo("required");
        assertThat(env(container, "QUARKUS_HTTP_AUTH_CERTIFICATE_ROLE_PROPERTIES").path("value").asText())
                .isEqualTo("/deployments/config/certificate-roles.properties");
        assertThat(mountPaths(container)).contains("/etc/realitycheck/jwt", "/etc/realitycheck/tls", "/etc/realitycheck/client-ca");
        assertThat(deployment.at("/spec/template/spec/volumes").findValuesAsText("secretName"))
                .contains("jwks", "rc-tls", "clients-ca");
        assertThat(container.at("/livenessProbe/httpGet/scheme").asText()).isEqualTo("HTTPS");
        assertThat(env(container, "QUARKUS_HTTP_SSL_PORT").path("value").asText()).isEqualTo("8083");
        assertThat(objects.get("ConfigMap", "rc-realitycheck-evaluation").at("/data/certificate-roles.properties").asText())
                .contains("ops-bot=operator");
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
    void tlsFromASecretMakesTheServicePortHttpsOnlyForProbesTestsAndScraping(@TempDir Path temp) {
        RenderedObjects plain = renderValid(Map.of("tls.enabled", false));
        JsonNode plainContainer = RenderedObjects.container(plain.get("Deployment", "rc-realitycheck-trainer"));
        assertThat(plainContainer.at("/readinessProbe/httpGet/scheme").asText()).isEqualTo("HTTP");
        assertThat(env(plainContainer, "QUARKUS_HTTP_HOST").path("value").asText()).isEqualTo("0.0.0.0");
        assertThat(mountPaths(plainContainer)).doesNotContain("/etc/realitycheck/tls");

        RenderedObjects objects = renderValid(Map.of("tls.enabled", true, "tls.secretName", "rc-tls",
                "metrics.serviceMonitor.enabled", true, "bindAddress", "10.0.0.1"));
        for (String service : SERVICES) {
            JsonNode deployment = objects.get("Deployment", "rc-realitycheck-" + service);
            JsonNode container = RenderedObjects.container(deployment);
            assertThat(env(container, "QUARKUS_TLS_KEY_STORE_PEM_0_CERT").path("value").asText())
                    .isEqualTo("/etc/realitycheck/tls/tls.crt");
            assertThat(env(container, "QUARKUS_TLS_KEY_STORE_PEM_0_KEY").path("value").asText())
                    .isEqualTo("/etc/realitycheck/tls/tls.key");
            assertThat(env(container, "QUARKUS_HTTP_INSECURE_REQUESTS").path("value").asText()).isEqualTo("disabled");
            assertThat(env(container, "QUARKUS_HTTP_SSL_PORT").path("value").asText())
                    .isEqualTo(container.at("/ports/0/containerPort").asText());
            assertThat(env(container, "QUARKUS_HTTP_HOST").path("value").asText()).isEqualTo("10.0.0.1");
            for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
                assertThat(container.at("/" + probe + "/httpGet/scheme").asText()).as(probe).isEqualTo("HTTPS");
            }
            assertThat(mountPaths(container)).contains("/etc/realitycheck/tls");
            assertThat(volume(deployment, "tls").at("/secret/secretName").asText()).isEqualTo("rc-tls");
            assertThat(deployment.at("/spec/template/metadata/annotations").path("prometheus.io/scheme").asText())
                    .isEqualTo("https");
        }
        assertThat(objects.get("ServiceMonitor", "rc-realitycheck").at("/spec/endpoints/0/scheme").asText()).isEqualTo("https");
        RenderedObjects tests = RenderedObjects.parse(HelmChart.templateWithHooks(temp, Map.of("tls.enabled", true,
                "tls.secretName", "rc-tls")));
        JsonNode probe = tests.ofKind("Pod").getFirst();
        List<String> args = new ArrayList<>();
        probe.at("/spec/containers/0/args").forEach(a -> args.add(a.asText()));
        assertThat(args).contains("-tls", "-tls-no-verify");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HelmChart.template(Map.of("tls.selfSigned.enabled", false)))
                .hasMessageContaining("tls.enabled needs a certificate: tls.secretName");
    }

    @Test
    void certManagerWritesTheTlsSecretForEveryServicesNames() {
        // cert-manager's Certificate has no model here: its fields are checked, the rest validated
        RenderedObjects objects = RenderedObjects.parse(HelmChart.template(Map.of("tls.enabled", true,
                "tls.certManager.enabled", true, "tls.certManager.issuerRef.name", "ca-issuer")));
        JsonNode certificate = objects.get("Certificate", "rc-realitycheck-tls");
        assertThat(certificate.at("/apiVersion").asText()).isEqualTo("cert-manager.io/v1");
        assertThat(certificate.at("/spec/secretName").asText()).isEqualTo("rc-realitycheck-tls");
        assertThat(certificate.at("/spec/issuerRef/name").asText()).isEqualTo("ca-issuer");
        List<String> names = new ArrayList<>();
        certificate.at("/spec/dnsNames").forEach(n -> names.add(n.asText()));
        assertThat(names).contains("rc-realitycheck-trainer", "rc-realitycheck-embedding.ml.svc",
                "rc-realitycheck-evaluation.ml.svc.cluster.local");
        assertThat(volume(objects.get("Deployment", "rc-realitycheck-embedding"), "tls").at("/secret/secretName").asText())
                .isEqualTo("rc-realitycheck-tls");
        validated(new RenderedObjects(objects.all().stream().filter(o -> !o.path("kind").asText().equals("Certificate")).toList()));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HelmChart.template(Map.of("tls.enabled", true,
                "tls.certManager.enabled", true))).hasMessageContaining("tls.certManager.issuerRef.name is required");
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

    @Test
    void everyOptionAtOnceRendersValidObjectsTheHelmTestPodsIncluded(@TempDir Path temp) {
        RenderedObjects objects = validated(RenderedObjects.parse(
                HelmChart.templateWithHooks(temp, Map.of(), HelmChart.EVERYTHING_VALUES)));
        assertThat(objects.ofKind("Ingress")).hasSize(1);
        assertThat(objects.ofKind("PersistentVolumeClaim")).hasSize(1);
        assertThat(objects.ofKind("Pod")).hasSize(3);
        assertThat(objects.ofKind("Job")).hasSize(2);
    }

    @Test
    void everyImageTakesItsRegistryTagAndDigest() {
        RenderedObjects objects = renderValid(Map.of(), HelmChart.EVERYTHING_VALUES);
        assertThat(image(objects.get("Deployment", "rc-realitycheck-trainer"))).as("component registry over image.registry; GPU digest")
                .isEqualTo("gpu.example.com/realitycheck/trainer-service-gpu:1.2.3@sha256:" + "5".repeat(64));
        assertThat(image(objects.get("Deployment", "rc-realitycheck-embedding")))
                .isEqualTo("registry.example.com/rc/realitycheck/embedding-service:1.2.3@sha256:" + "6".repeat(64));
        assertThat(image(objects.get("Deployment", "rc-realitycheck-evaluation"))).as("tag: the chart's appVersion")
                .isEqualTo("registry.example.com/rc/realitycheck/evaluation-service:0.1.0-SNAPSHOT@sha256:" + "7".repeat(64));
        assertThat(image(objects.get("Job", "rc-realitycheck-datasets-fill-1")))
                .isEqualTo("mirror.example.com/debian:bookworm-slim@sha256:" + "1".repeat(64));
        assertThat(image(objects.get("Job", "rc-realitycheck-topics-1")))
                .isEqualTo("docker.io/apache/kafka:4.1.2@sha256:" + "3".repeat(64));
        for (JsonNode workload : workloads(objects)) {
            assertThat(workload.at("/spec/template/spec/imagePullSecrets/0/name").asText()).isEqualTo("regcred");
            assertThat(RenderedObjects.container(workload).path("imagePullPolicy").asText()).isEqualTo("Always");
        }
        assertThat(image(renderValid(Map.of("trainer.image.gpuDigest", "")).get("Deployment", "rc-realitycheck-trainer")))
                .isEqualTo("realitycheck/trainer-service:0.1.0-SNAPSHOT");
    }

    @Test
    void globalImageRegistryIsTheRegistryOfEveryImage(@TempDir Path temp) {
        RenderedObjects objects = validated(RenderedObjects.parse(HelmChart.templateWithHooks(temp,
                Map.of("global.imageRegistry", "mirror.internal:5000"), HelmChart.EVERYTHING_VALUES)));
        List<String> images = new ArrayList<>();
        for (JsonNode workload : workloads(objects)) {
            images.add(image(workload));
        }
        for (JsonNode pod : objects.ofKind("Pod")) {
            images.add(pod.at("/spec/containers/0/image").asText());
        }
        assertThat(images).hasSize(8).allMatch(i -> i.startsWith("mirror.internal:5000/"), "starts with the global registry");
        assertThat(images).contains("mirror.internal:5000/grpc-ecosystem/grpc-health-probe:v0.4.48@sha256:" + "2".repeat(64));
    }

    @Test
    void theDatasetClaimIsFilledByAJobAndMountedReadOnlyInEveryService() {
        RenderedObjects objects = renderValid(Map.of());
        JsonNode claim = objects.get("PersistentVolumeClaim", "rc-realitycheck-datasets");
        assertThat(claim.at("/spec/accessModes/0").asText()).isEqualTo("ReadWriteOnce");
        assertThat(claim.at("/spec/resources/requests/storage").asText()).isEqualTo("1Gi");
        for (String service : SERVICES) {
            JsonNode deployment = objects.get("Deployment", "rc-realitycheck-" + service);
            assertThat(volume(deployment, "datasets").at("/persistentVolumeClaim/claimName").asText()).isEqualTo("rc-realitycheck-datasets");
            JsonNode mount = mount(RenderedObjects.container(deployment), "datasets");
            assertThat(mount.path("mountPath").asText()).isEqualTo("/data");
            assertThat(mount.path("readOnly").asBoolean()).isTrue();
            assertThat(applicationProperties(objects, service)).contains("realitycheck." + service + ".datasets.\"fashion-mnist\"=/data/fashion-mnist");
        }
        JsonNode job = objects.get("Job", "rc-realitycheck-datasets-fill-1");
        JsonNode container = RenderedObjects.container(job);
        assertThat(volume(job, "datasets").at("/persistentVolumeClaim/claimName").asText()).isEqualTo("rc-realitycheck-datasets");
        assertThat(mount(container, "datasets").path("readOnly").asBoolean(false)).as("the Job writes").isFalse();
        assertThat(env(container, "DATASET_DIR").path("value").asText()).isEqualTo("/data/fashion-mnist");
        assertThat(env(container, "SOURCE_URL").path("value").asText()).as("empty: the Debian package").isEmpty();
        assertThat(container.at("/command/2").asText()).contains("apt-get", "dataset-fashion-mnist", "mv \"$staging\" \"$DATASET_DIR\"");
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(job.at("/spec/template/spec/securityContext/runAsNonRoot").asBoolean()).as("apt runs without root").isTrue();
        assertThat(job.at("/metadata/annotations").path("helm.sh/hook").isMissingNode())
                .as("a plain Job: helm install --wait waits for the evaluation service, which waits for the data").isTrue();
        JsonNode policy = objects.get("NetworkPolicy", "rc-realitycheck-datasets");
        assertThat(policy.at("/spec/egress/0/ports").findValuesAsText("port")).containsExactly("80", "443");
    }

    @Test
    void anExistingClaimOrAnyVolumeReplacesTheChartsClaimAndNoVolumeMeansNoJob() {
        RenderedObjects existing = renderValid(Map.of("datasets.persistence.existingClaim", "shared-datasets"));
        assertThat(existing.ofKind("PersistentVolumeClaim")).isEmpty();
        assertThat(volume(existing.get("Deployment", "rc-realitycheck-evaluation"), "datasets").at("/persistentVolumeClaim/claimName").asText())
                .isEqualTo("shared-datasets");
        assertThat(volume(existing.get("Job", "rc-realitycheck-datasets-fill-1"), "datasets").at("/persistentVolumeClaim/claimName").asText())
                .isEqualTo("shared-datasets");

        RenderedObjects nfs = renderValid(Map.of("datasets.volume.nfs.server", "nfs.example.com", "datasets.volume.nfs.path", "/datasets",
                "datasets.fill.enabled", false));
        assertThat(nfs.ofKind("PersistentVolumeClaim")).isEmpty();
        assertThat(nfs.ofKind("Job")).hasSize(1).allMatch(j -> j.at("/metadata/name").asText().startsWith("rc-realitycheck-topics"));
        assertThat(volume(nfs.get("Deployment", "rc-realitycheck-trainer"), "datasets").at("/nfs/server").asText()).isEqualTo("nfs.example.com");

        RenderedObjects none = renderValid(Map.of("datasets.persistence.enabled", false));
        assertThat(none.ofKind("PersistentVolumeClaim")).isEmpty();
        assertThat(none.ofKind("Job")).hasSize(1);
        assertThat(mountPathsOf(none.get("Deployment", "rc-realitycheck-evaluation"))).doesNotContain("/data");
    }

    @Test
    void theFillJobNeedsADatasetPathUnderTheMount() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HelmChart.template(Map.of("datasets.fill.dataset", "mnist")))
                .hasMessageContaining("datasets.fill.dataset 'mnist' must be a key of datasets.paths");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HelmChart.template(Map.of("datasets.paths.fashion-mnist", "/srv/fashion")))
                .hasMessageContaining("must lie under datasets.mountPath (/data)");
    }

    @Test
    void theIngressRoutesOnlyThePagesPathsToTheEvaluationServiceAndItsControllerMayPass(@TempDir Path temp) throws Exception {
        Path openNetwork = java.nio.file.Files.writeString(temp.resolve("open.yaml"),
                "networkPolicy:\n  ingressFrom: []\ningress:\n  enabled: true\n");
        RenderedObjects objects = renderValid(Map.of(), HelmChart.EVERYTHING_VALUES);
        JsonNode ingress = objects.get("Ingress", "rc-realitycheck-evaluation");
        assertThat(ingress.at("/spec/ingressClassName").asText()).isEqualTo("nginx");
        assertThat(ingress.at("/spec/tls/0/secretName").asText()).isEqualTo("rc-tls");
        JsonNode rule = ingress.at("/spec/rules/0");
        assertThat(rule.path("host").asText()).isEqualTo("rc.example.com");
        assertThat(rule.at("/http/paths").findValuesAsText("path")).containsExactly("/", "/leaderboard");
        assertThat(rule.at("/http/paths/1/backend/service/name").asText()).isEqualTo("rc-realitycheck-evaluation");
        assertThat(rule.at("/http/paths/1/backend/service/port/name").asText()).isEqualTo("grpc");
        JsonNode peers = objects.get("NetworkPolicy", "rc-realitycheck-evaluation").at("/spec/ingress/0/from");
        assertThat(peers.toString()).contains("grpc-client", "ingress-nginx", "\"app.kubernetes.io/component\":\"test\"");
        assertThat(objects.get("NetworkPolicy", "rc-realitycheck-trainer").at("/spec/ingress/0/from").toString())
                .as("only the evaluation service is behind the Ingress").doesNotContain("ingress-nginx");
        assertThat(renderValid(Map.of("ingress.enabled", true)).get("NetworkPolicy", "rc-realitycheck-evaluation")
                .at("/spec/ingress/0/from").toString()).as("the default peers: this namespace's pods, the test pods, the controller")
                .contains("ingress-nginx", "\"podSelector\":{}");
        assertThat(renderValid(Map.of(), openNetwork)
                .get("NetworkPolicy", "rc-realitycheck-evaluation").at("/spec/ingress/0/from").size())
                .as("an empty list allows every source and stays empty").isZero();
    }

    @Test
    void podOptionsReachTheirDeployments() {
        RenderedObjects objects = renderValid(Map.of(), HelmChart.EVERYTHING_VALUES);
        JsonNode trainer = objects.get("Deployment", "rc-realitycheck-trainer");
        assertThat(trainer.at("/spec/strategy/type").asText()).isEqualTo("Recreate");
        JsonNode pod = trainer.at("/spec/template/spec");
        assertThat(pod.path("runtimeClassName").asText()).isEqualTo("nvidia");
        assertThat(pod.path("priorityClassName").asText()).isEqualTo("training");
        JsonNode container = RenderedObjects.container(trainer);
        assertThat(env(container, "TF_CPP_MIN_LOG_LEVEL").path("value").asText()).isEqualTo("2");
        assertThat(env(container, "WANDB_API_KEY").at("/valueFrom/secretKeyRef/name").asText()).isEqualTo("tracking");
        assertThat(container.path("env").findValuesAsText("name")).as("extraEnv comes after the chart's")
                .containsSubsequence("JDK_JAVA_OPTIONS", "REALITYCHECK_KAFKA_CLIENT_CONFIG", "TF_CPP_MIN_LOG_LEVEL", "WANDB_API_KEY");
        assertThat(mount(container, "scratch").path("mountPath").asText()).isEqualTo("/scratch");
        assertThat(volume(trainer, "scratch").at("/emptyDir/medium").asText()).isEqualTo("Memory");
        JsonNode embedding = objects.get("Deployment", "rc-realitycheck-embedding");
        assertThat(embedding.at("/spec/template/spec/topologySpreadConstraints/0/topologyKey").asText()).isEqualTo("topology.kubernetes.io/zone");
        assertThat(embedding.at("/spec/template/spec/priorityClassName").asText()).isEqualTo("serving");
        assertThat(embedding.at("/spec/strategy").isMissingNode()).as("updateStrategy is the trainer's").isTrue();
        assertThat(renderValid(Map.of()).get("Deployment", "rc-realitycheck-trainer").at("/spec/strategy/type").asText())
                .isEqualTo("RollingUpdate");
    }

    @Test
    void helmTestPodsCheckEachServicesGrpcHealth(@TempDir Path temp) {
        RenderedObjects objects = validated(RenderedObjects.parse(HelmChart.templateWithHooks(temp, Map.of())));
        List<JsonNode> pods = objects.ofKind("Pod");
        assertThat(pods).hasSize(3);
        for (String service : SERVICES) {
            JsonNode pod = objects.get("Pod", "rc-realitycheck-" + service + "-test-grpc-health");
            assertThat(pod.at("/metadata/annotations").path(HelmChart.HOOK_ANNOTATION).asText()).isEqualTo("test");
            assertThat(pod.at("/spec/restartPolicy").asText()).isEqualTo("Never");
            JsonNode container = pod.at("/spec/containers/0");
            assertThat(container.path("image").asText()).isEqualTo("ghcr.io/grpc-ecosystem/grpc-health-probe:v0.4.48");
            JsonNode service1 = objects.get("Service", "rc-realitycheck-" + service);
            assertThat(container.at("/args/0").asText()).isEqualTo("-addr=rc-realitycheck-" + service + ":" + service1.at("/spec/ports/0/port").asInt());
            assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        }
        assertThat(RenderedObjects.parse(HelmChart.templateWithHooks(temp.resolve("off"), Map.of("tests.enabled", false))).ofKind("Pod")).isEmpty();
    }

    @Test
    void notesSayHowToReachGrpcThePageAndTheResultsTopic() {
        String notes = HelmChart.notes(Map.of());
        assertThat(notes).contains("rc-realitycheck-trainer.ml:8081", "rc-realitycheck-embedding.ml:8082", "rc-realitycheck-evaluation.ml:8083",
                "kubectl -n ml port-forward svc/rc-realitycheck-evaluation 8083:8083", "https://localhost:8083/leaderboard/<experiment>",
                "realitycheck.evaluations at kafka-bootstrap.kafka.svc:9092", "kubectl -n ml logs job/rc-realitycheck-datasets-fill-1",
                "model: none yet", "helm test rc -n ml");
        assertThat(HelmChart.notes(Map.of(), HelmChart.EVERYTHING_VALUES)).contains("https://rc.example.com/leaderboard/<experiment>",
                "from https://mirror.example.com/fashion-mnist/");
        assertThat(HelmChart.notes(Map.of("datasets.persistence.enabled", false))).contains("no volume is mounted");
    }

    @Test
    void badImageDigestsAndUpdateStrategiesFailTheSchema() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HelmChart.template(Map.of("embedding.image.digest", "latest")))
                .hasMessageContaining("digest");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HelmChart.template(Map.of("trainer.updateStrategy", "OnDelete")))
                .hasMessageContaining("updateStrategy");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HelmChart.template(Map.of("datasets.persistence.accessModes[0]", "ReadWriteSome")))
                .hasMessageContaining("accessModes");
    }

    RenderedObjects validated(RenderedObjects objects) {
        List<String> problems = new ArrayList<>();
        for (JsonNode object : objects.all()) {
            problems.addAll(validator.problems(object));
        }
        assertThat(problems).as("schema problems of the rendered objects").isEmpty();
        return objects;
    }

    private static List<JsonNode> workloads(RenderedObjects objects) {
        List<JsonNode> workloads = new ArrayList<>(objects.ofKind("Deployment"));
        workloads.addAll(objects.ofKind("Job"));
        return workloads;
    }

    private static String image(JsonNode workload) {
        return RenderedObjects.container(workload).path("image").asText();
    }

    static JsonNode volume(JsonNode workload, String name) {
        for (JsonNode v : workload.at("/spec/template/spec/volumes")) {
            if (v.path("name").asText().equals(name)) {
                return v;
            }
        }
        throw new AssertionError("no volume " + name + " in " + workload.at("/metadata/name").asText());
    }

    private static JsonNode mount(JsonNode container, String name) {
        for (JsonNode m : container.path("volumeMounts")) {
            if (m.path("name").asText().equals(name)) {
                return m;
            }
        }
        throw new AssertionError("no volume mount " + name + " in " + container.path("name").asText());
    }

    private static List<String> mountPathsOf(JsonNode workload) {
        return mountPaths(RenderedObjects.container(workload));
    }

    static String applicationProperties(RenderedObjects objects, String service) {
        return objects.get("ConfigMap", "rc-realitycheck-" + service).at("/data/application.properties").asText();
    }

    static List<String> mountPaths(JsonNode container) {
        return container.path("volumeMounts").findValuesAsText("mountPath");
    }

    static JsonNode env(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (e.path("name").asText().equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no env " + name + " in " + container.path("name").asText());
    }
}
