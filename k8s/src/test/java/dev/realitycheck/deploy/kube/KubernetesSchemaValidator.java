package dev.realitycheck.deploy.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a rendered Kubernetes object against the API's schema, offline: unknown fields, missing
 * required fields and values of the wrong type are problems.
 *
 * <p>Built-in kinds go through the official Kubernetes Java client's models
 * ({@code io.kubernetes.client.openapi.models}, generated from the API server's OpenAPI spec), see
 * {@link OpenApiModelCheck}. Custom resources the chart renders (Strimzi {@code Kafka},
 * {@code KafkaNodePool}, {@code KafkaTopic}; Prometheus Operator {@code ServiceMonitor}) go through
 * their Java models (Strimzi's {@code io.strimzi:api}, fabric8's {@code openshift-model-monitoring}),
 * see {@link JacksonModelCheck}. Any other kind is itself a problem: nothing passes unchecked.
 */
public final class KubernetesSchemaValidator {

    private static final Map<String, Class<?>> CUSTOM_RESOURCES = Map.of(
            "kafka.strimzi.io/v1/Kafka", io.strimzi.api.kafka.model.kafka.Kafka.class,
            "kafka.strimzi.io/v1/KafkaNodePool", io.strimzi.api.kafka.model.nodepool.KafkaNodePool.class,
            "kafka.strimzi.io/v1/KafkaTopic", io.strimzi.api.kafka.model.topic.KafkaTopic.class,
            "kafka.strimzi.io/v1/KafkaUser", io.strimzi.api.kafka.model.user.KafkaUser.class,
            "monitoring.coreos.com/v1/ServiceMonitor", io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor.class);

    /**
     * Fields the custom resources' models do not mark as required but their CRDs do (the
     * Prometheus Operator CRD requires a ServiceMonitor's selector; the fabric8 model has no such
     * annotation).
     */
    private static final Map<String, List<String>> CUSTOM_REQUIRED_PATHS = Map.of(
            "monitoring.coreos.com/v1/ServiceMonitor", List.of("spec", "spec.selector"));

    private final ObjectMapper mapper = new ObjectMapper();

    /** The problems of one object, each naming the object and the field; empty when it is valid. */
    public List<String> problems(JsonNode object) {
        List<String> problems = new ArrayList<>();
        String apiVersion = object.path("apiVersion").asText("");
        String kind = object.path("kind").asText("");
        String name = object.path("metadata").path("name").asText("<no name>");
        String id = kind + "/" + name;
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            problems.add(id + ": apiVersion and kind are required");
            return problems;
        }
        if (!object.path("metadata").path("name").isTextual()) {
            problems.add(id + ": metadata.name is required");
        }
        String key = apiVersion + "/" + kind;
        Class<?> custom = CUSTOM_RESOURCES.get(key);
        if (custom != null) {
            JacksonModelCheck.check(mapper, object, custom, id, problems);
            for (String path : CUSTOM_REQUIRED_PATHS.getOrDefault(key, List.of())) {
                if (object.at("/" + path.replace('.', '/')).isMissingNode()) {
                    problems.add(id + ": required field " + path + " is missing");
                }
            }
            return problems;
        }
        Class<?> model = OpenApiModelCheck.modelClass(apiVersion, kind);
        if (model == null) {
            problems.add(id + ": no schema known for " + apiVersion + " " + kind);
            return problems;
        }
        OpenApiModelCheck.check(object, model, id, problems);
        return problems;
    }
}
