package dev.realitycheck.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realitycheck.transport.KafkaPrincipal;
import dev.realitycheck.transport.TopicAcls;
import dev.realitycheck.transport.TopicSpec;
import dev.realitycheck.transport.Topics;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What the chart tells the services must be what the services read: every rendered setting is a
 * key of the service's application.properties or of its {@code @ConfigMapping} interface, and the
 * topics are {@link Topics#ALL} with the configs of {@link TopicSpec#ALL}.
 */
class ServiceSettingsTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    /** A method of a config interface: {@code    Duration maxRunDuration();}. */
    private static final Pattern CONFIG_METHOD = Pattern.compile("^\\s+[\\w<>, .?]+\\s+(\\w+)\\(\\);", Pattern.MULTILINE);

    private static final Map<String, Path> CONFIG_INTERFACES = Map.of(
            "trainer", REPO.resolve("trainer-service/src/main/java/dev/realitycheck/trainer/TrainerConfig.java"),
            "embedding", REPO.resolve("embedding-service/src/main/java/dev/realitycheck/embedding/EmbeddingConfig.java"),
            "evaluation", REPO.resolve("evaluation-service/src/main/java/dev/realitycheck/evaluation/EvaluationConfig.java"));

    /** The settings groups every service maps from service-security ({@code realitycheck.<service>.signing.*}). */
    private static final List<Path> SHARED_GROUPS = List.of(
            REPO.resolve("service-security/src/main/java/dev/realitycheck/security/Signing.java"));

    @Test
    void everyRenderedSettingIsOneTheServiceReads() throws IOException {
        RenderedObjects objects = RenderedObjects.parse(HelmChart.template(Map.of("embedding.policy", "pinned",
                "embedding.pinnedCheckpoint", "exp.loss.fold0.seed0@100")));
        for (String service : CONFIG_INTERFACES.keySet()) {
            Properties rendered = new Properties();
            rendered.load(new StringReader(ChartRenderingTest.applicationProperties(objects, service)));
            Set<String> mapped = configKeys(service);
            Properties own = new Properties();
            try (var in = Files.newBufferedReader(REPO.resolve(service + "-service/src/main/resources/application.properties"))) {
                own.load(in);
            }
            assertThat(rendered.stringPropertyNames()).as(service).isNotEmpty();
            for (String key : rendered.stringPropertyNames()) {
                String prefix = "realitycheck." + service + ".";
                if (key.startsWith(prefix)) {
                    String name = key.substring(prefix.length()).replaceFirst("\\.\".*\"$", "");
                    // a nested setting (signing.verify) is a group method and a method of the group's interface
                    assertThat(mapped).as("%s: %s is not a setting of %s", service, key, CONFIG_INTERFACES.get(service).getFileName())
                            .contains(name.split("\\."));
                } else {
                    assertThat(own.stringPropertyNames()).as("%s: %s is not in its application.properties", service, key).contains(key);
                }
            }
        }
    }

    @Test
    void theConfigInterfacesAreParsedIntoTheirSettings() throws IOException {
        assertThat(configKeys("trainer")).contains("consumer-group", "work-dir", "datasets", "data-roots", "topic-partitions", "topic-replication");
        assertThat(configKeys("embedding")).contains("policy", "pinned-checkpoint", "datasets").doesNotContain("resolved-work-dir");
        assertThat(configKeys("evaluation")).contains("signing", "verify", "trusted-keys", "private-key", "key-id");
    }

    @Test
    void theChartCreatesExactlyTheTopicsOfTransportWithTheCompactedExperimentsTopic() {
        String manifest = HelmChart.template(Map.of());
        JsonNode job = RenderedObjects.parse(manifest).get("Job", "rc-realitycheck-topics-1");
        String script = RenderedObjects.container(job).at("/command/2").asText();
        Matcher topic = Pattern.compile("--topic (\\S+) \\\\\\s+--partitions (\\d+)[^\\n]*").matcher(script);
        Map<String, String> created = new LinkedHashMap<>();
        while (topic.find()) {
            created.put(topic.group(1), topic.group(0));
        }
        assertThat(created.keySet()).containsExactlyInAnyOrderElementsOf(Topics.ALL);
        assertThat(created.get(Topics.EXPERIMENTS)).contains("--partitions 1", "--config cleanup.policy=compact");
        assertThat(created.get(Topics.RUNS)).contains("--partitions 6");

        RenderedObjects strimzi = RenderedObjects.parse(HelmChart.template(Map.of("strimzi.enabled", true)));
        List<String> topicNames = strimzi.ofKind("KafkaTopic").stream().map(t -> t.at("/spec/topicName").asText()).toList();
        assertThat(topicNames).containsExactlyInAnyOrderElementsOf(Topics.ALL);
        JsonNode experiments = strimzi.get("KafkaTopic", Topics.EXPERIMENTS.replace('.', '-'));
        assertThat(experiments.at("/spec/partitions").asInt()).isEqualTo(1);
        assertThat(experiments.at("/spec/config").path("cleanup.policy").asText()).isEqualTo("compact");
    }

    @Test
    void theChartsTopicConfigsEqualTheOnesTheServicesCreateTopicsWith() {
        String script = RenderedObjects.container(RenderedObjects.parse(HelmChart.template(Map.of()))
                .get("Job", "rc-realitycheck-topics-1")).at("/command/2").asText();
        RenderedObjects strimzi = RenderedObjects.parse(HelmChart.template(Map.of("strimzi.enabled", true)));
        for (TopicSpec spec : TopicSpec.ALL) {
            Matcher create = Pattern.compile("--topic " + Pattern.quote(spec.name()) + " \\\\\\s+--partitions (\\d+)([^\\n]*)")
                    .matcher(script);
            assertThat(create.find()).as(spec.name()).isTrue();
            assertThat(Integer.parseInt(create.group(1))).as(spec.name()).isEqualTo(spec.partitions(6));
            Map<String, String> created = new LinkedHashMap<>();
            Matcher config = Pattern.compile("--config (\\S+)=(\\S+)").matcher(create.group(2));
            while (config.find()) {
                created.put(config.group(1), config.group(2));
            }
            assertThat(created).as("created " + spec.name()).isEqualTo(spec.configs());

            Matcher alter = Pattern.compile("--entity-name " + Pattern.quote(spec.name()) + " --add-config (\\S+)").matcher(script);
            assertThat(alter.find()).as(spec.name()).isTrue();
            Map<String, String> altered = new LinkedHashMap<>();
            for (String pair : alter.group(1).split(",")) {
                String[] kv = pair.split("=", 2);
                altered.put(kv[0], kv[1]);
            }
            assertThat(altered).as("altered " + spec.name()).isEqualTo(spec.configs());

            JsonNode topic = strimzi.get("KafkaTopic", spec.name().replace('.', '-'));
            Map<String, String> declared = new LinkedHashMap<>();
            topic.at("/spec/config").properties().forEach(e -> declared.put(e.getKey(), e.getValue().asText()));
            assertThat(declared).as("KafkaTopic " + spec.name()).isEqualTo(spec.configs());
            assertThat(topic.at("/spec/partitions").asInt()).isEqualTo(spec.partitions(6));
        }
    }

    @Test
    void theChartsKafkaUsersHaveExactlyTheAclsOfTopicAclsAndEachServiceRunsAsItsOwn() {
        RenderedObjects objects = RenderedObjects.parse(HelmChart.template(Map.of("strimzi.enabled", true,
                "strimzi.users.enabled", true, "kafka.bootstrapServers", "")));
        List<String> rendered = new ArrayList<>();
        for (JsonNode user : objects.ofKind("KafkaUser")) {
            assertThat(user.at("/spec/authentication/type").asText()).isEqualTo("scram-sha-512");
            for (JsonNode acl : user.at("/spec/authorization/acls")) {
                for (JsonNode op : acl.path("operations")) {
                    rendered.add(String.join(" ", "User:" + user.at("/metadata/name").asText(),
                            op.asText().toUpperCase(Locale.ROOT), acl.at("/resource/type").asText().toUpperCase(Locale.ROOT),
                            acl.at("/resource/name").asText(),
                            acl.at("/resource/patternType").asText().equals("prefix") ? "PREFIXED" : "LITERAL"));
                }
            }
        }
        List<String> table = TopicAcls.rules().stream().map(r -> String.join(" ", r.principal().principal(),
                r.operation().name(), r.type().name(), r.name(), r.patternType().name())).toList();
        assertThat(rendered).containsExactlyInAnyOrderElementsOf(table);
        assertThat(objects.ofKind("KafkaUser")).extracting(u -> u.at("/metadata/name").asText())
                .containsExactlyInAnyOrder(java.util.Arrays.stream(KafkaPrincipal.values()).map(KafkaPrincipal::userName)
                        .toArray(String[]::new));
        Map<String, KafkaPrincipal> services = Map.of("trainer", KafkaPrincipal.TRAINER, "evaluation",
                KafkaPrincipal.EVALUATION, "embedding", KafkaPrincipal.EMBEDDING);
        services.forEach((service, principal) -> {
            JsonNode container = RenderedObjects.container(objects.get("Deployment", "rc-realitycheck-" + service));
            JsonNode jaas = null;
            for (JsonNode env : container.path("env")) {
                if (env.path("name").asText().equals("REALITYCHECK_KAFKA_SASL_JAAS_CONFIG")) {
                    jaas = env;
                }
            }
            assertThat(jaas).as(service).isNotNull();
            assertThat(jaas.at("/valueFrom/secretKeyRef/name").asText()).as(service).isEqualTo(principal.userName());
        });
        String client = objects.get("ConfigMap", "rc-realitycheck-kafka-client").at("/data/client.properties").asText();
        assertThat(client).contains("security.protocol=SASL_PLAINTEXT", "sasl.mechanism=SCRAM-SHA-512");
        JsonNode kafka = objects.ofKind("Kafka").getFirst();
        assertThat(kafka.at("/spec/kafka/authorization/type").asText()).isEqualTo("simple");
        for (JsonNode listener : kafka.at("/spec/kafka/listeners")) {
            assertThat(listener.at("/authentication/type").asText()).isEqualTo("scram-sha-512");
        }
        assertThat(RenderedObjects.parse(HelmChart.template(Map.of())).ofKind("KafkaUser")).isEmpty();
    }

    /** The kebab-case settings of a service's {@code @ConfigMapping} interface (default methods excluded). */
    private static Set<String> configKeys(String service) throws IOException {
        StringBuilder source = new StringBuilder(Files.readString(CONFIG_INTERFACES.get(service)));
        for (Path group : SHARED_GROUPS) {
            source.append(Files.readString(group));
        }
        Set<String> keys = new HashSet<>();
        Matcher m = CONFIG_METHOD.matcher(source);
        while (m.find()) {
            keys.add(m.group(1).replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase());
        }
        return keys;
    }
}
