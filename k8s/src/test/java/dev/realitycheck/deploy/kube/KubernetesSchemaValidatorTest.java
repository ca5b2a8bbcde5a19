package dev.realitycheck.deploy.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The validator must bite: each deliberately broken manifest is reported, naming the field. */
class KubernetesSchemaValidatorTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 2
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                    - name: web
                      image: example/web:1.0
                      ports:
                        - name: grpc
                          containerPort: 8082
                      resources:
                        limits: {memory: 1Gi, nvidia.com/gpu: 1}
            """;

    private final KubernetesSchemaValidator validator = new KubernetesSchemaValidator();

    private List<String> problems(String yaml) throws Exception {
        return validator.problems(YAML.readTree(yaml));
    }

    @Test
    void aValidDeploymentHasNoProblems() throws Exception {
        assertThat(problems(DEPLOYMENT)).isEmpty();
    }

    @Test
    void anUnknownFieldInAContainerIsReported() throws Exception {
        List<String> problems = problems(DEPLOYMENT.replace("image: example/web:1.0", "image: example/web:1.0\n          imagePolicy: Always"));
        assertThat(problems).singleElement().asString().contains("imagePolicy", "V1Container");
    }

    @Test
    void aMissingRequiredContainerNameIsReported() throws Exception {
        List<String> problems = problems(DEPLOYMENT.replace("- name: web\n          image:", "- image:"));
        assertThat(problems).singleElement().asString().contains("required field `name`");
    }

    @Test
    void aMissingRequiredSelectorIsReported() throws Exception {
        assertThat(problems(DEPLOYMENT.replace("  selector:\n    matchLabels: {app: web}\n", ""))).singleElement().asString()
                .contains("required field `selector`");
    }

    @Test
    void aQuotedIntegerIsAWrongType() throws Exception {
        assertThat(problems(DEPLOYMENT.replace("replicas: 2", "replicas: \"2\""))).singleElement().asString()
                .contains("spec.replicas must be an integer");
    }

    @Test
    void aNumberWhereAStringBelongsIsAWrongType() throws Exception {
        assertThat(problems(DEPLOYMENT.replace("image: example/web:1.0", "image: 42"))).singleElement().asString()
                .contains("image must be a string");
    }

    @Test
    void anObjectWhereAListBelongsIsAWrongType() throws Exception {
        assertThat(problems(DEPLOYMENT.replace("ports:\n            - name: grpc\n              containerPort: 8082",
                "ports: {name: grpc}"))).singleElement().asString().contains("spec.template.spec.containers[0].ports must be a list");
    }

    @Test
    void anInvalidQuantityIsReported() throws Exception {
        assertThat(problems(DEPLOYMENT.replace("memory: 1Gi", "memory: 1 GB"))).isNotEmpty();
    }

    @Test
    void anUnknownKindIsReportedRatherThanPassedUnchecked() throws Exception {
        assertThat(problems("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n")).singleElement().asString()
                .contains("no schema known for example.com/v1 Widget");
    }

    @Test
    void anUnknownFieldInAStrimziKafkaIsReported() throws Exception {
        String kafka = """
                apiVersion: kafka.strimzi.io/v1
                kind: Kafka
                metadata: {name: k}
                spec:
                  kafka:
                    version: "4.1.1"
                    listeners:
                      - {name: plain, port: 9092, type: internal, tls: false}
                    replicaz: 3
                """;
        assertThat(problems(kafka)).singleElement().asString().contains("replicaz");
    }

    @Test
    void aMissingRequiredStrimziFieldIsReported() throws Exception {
        String kafka = """
                apiVersion: kafka.strimzi.io/v1
                kind: Kafka
                metadata: {name: k}
                spec:
                  kafka:
                    version: "4.1.1"
                """;
        assertThat(problems(kafka)).singleElement().asString().contains("spec.kafka.listeners");
    }

    @Test
    void aServiceMonitorWithoutSelectorOrWithAnUnknownFieldIsReported() throws Exception {
        String monitor = """
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata: {name: m}
                spec:
                  endpoints:
                    - {port: grpc, path: /q/metrics, scrapeEvery: 30s}
                """;
        assertThat(problems(monitor)).hasSize(2).anyMatch(p -> p.contains("scrapeEvery")).anyMatch(p -> p.contains("spec.selector"));
    }

    @Test
    void everyProblemNamesTheObject() throws Exception {
        JsonNode broken = YAML.readTree(DEPLOYMENT.replace("replicas: 2", "replicas: two"));
        assertThat(validator.problems(broken)).isNotEmpty().allMatch(p -> p.startsWith("Deployment/web: "));
    }
}
