package dev.realitycheck.deploy.chart;

import static dev.realitycheck.deploy.chart.ChartRenderingTest.applicationProperties;
import static dev.realitycheck.deploy.chart.ChartRenderingTest.env;
import static dev.realitycheck.deploy.chart.ChartRenderingTest.mountPaths;
import static dev.realitycheck.deploy.chart.ChartRenderingTest.volume;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart is secure by default (issue 14): record signatures verified with mounted keys, TLS on
 * the services' port, NetworkPolicies, a Kafka user per service; each can be turned off explicitly.
 */
class SecureDefaultsTest {

    private final ChartRenderingTest chart = new ChartRenderingTest();

    @Test
    void eachSignerMountsOnlyItsOwnPrivateKeyAndEachVerifierTheTrustedKeysByDefault() {
        RenderedObjects objects = chart.renderValid(Map.of());

        JsonNode trainer = objects.get("Deployment", "rc-realitycheck-trainer");
        assertThat(volume(trainer, "signing-key").at("/secret/secretName").asText()).isEqualTo("rc-realitycheck-signing");
        assertThat(volume(trainer, "signing-key").at("/secret/items").findValuesAsText("key")).containsExactly("trainer.key");
        assertThat(mountPaths(RenderedObjects.container(trainer))).contains("/etc/realitycheck/signing/private")
                .doesNotContain("/etc/realitycheck/signing/trusted");
        assertThat(properties(objects, "trainer")).containsEntry("realitycheck.trainer.signing.private-key",
                "/etc/realitycheck/signing/private/private.key").containsEntry("realitycheck.trainer.signing.key-id", "trainer");

        JsonNode evaluation = objects.get("Deployment", "rc-realitycheck-evaluation");
        assertThat(volume(evaluation, "signing-key").at("/secret/items").findValuesAsText("key")).containsExactly("evaluation.key");
        assertThat(volume(evaluation, "signing-trusted").at("/secret/secretName").asText())
                .isEqualTo("rc-realitycheck-signing-trusted");
        assertThat(properties(objects, "evaluation")).containsEntry("realitycheck.evaluation.signing.verify", "true")
                .containsEntry("realitycheck.evaluation.signing.trusted-keys", "/etc/realitycheck/signing/trusted")
                .containsEntry("realitycheck.evaluation.signing.key-id", "evaluation");

        JsonNode embedding = objects.get("Deployment", "rc-realitycheck-embedding");
        assertThat(mountPaths(RenderedObjects.container(embedding))).contains("/etc/realitycheck/signing/trusted")
                .doesNotContain("/etc/realitycheck/signing/private");
        assertThat(embedding.at("/spec/template/spec/volumes").findValuesAsText("name")).doesNotContain("signing-key");
        assertThat(properties(objects, "embedding")).containsEntry("realitycheck.embedding.signing.verify", "true")
                .containsEntry("realitycheck.embedding.signing.trusted-keys", "/etc/realitycheck/signing/trusted")
                .doesNotContainKey("realitycheck.embedding.signing.private-key");
    }

    @Test
    void signingTakesTheNamedSecretsAndKeyIdsAndCanBeTurnedOff() {
        RenderedObjects named = chart.renderValid(Map.of("signing.privateKeysSecret.name", "keys",
                "signing.trustedKeysSecret.name", "trusted", "signing.keyIds.trainer", "trainer-2027"));
        assertThat(volume(named.get("Deployment", "rc-realitycheck-trainer"), "signing-key").at("/secret/secretName").asText())
                .isEqualTo("keys");
        assertThat(volume(named.get("Deployment", "rc-realitycheck-embedding"), "signing-trusted").at("/secret/secretName")
                .asText()).isEqualTo("trusted");
        assertThat(properties(named, "trainer")).containsEntry("realitycheck.trainer.signing.key-id", "trainer-2027");

        RenderedObjects off = chart.renderValid(Map.of("signing.verify", false, "signing.sign", false));
        for (String service : new String[]{"trainer", "embedding", "evaluation"}) {
            JsonNode deployment = off.get("Deployment", "rc-realitycheck-" + service);
            assertThat(deployment.at("/spec/template/spec/volumes").findValuesAsText("name")).as(service)
                    .doesNotContain("signing-key", "signing-trusted");
            assertThat(properties(off, service).stringPropertyNames()).as(service)
                    .noneMatch(key -> key.endsWith("private-key") || key.endsWith("trusted-keys"));
        }
        assertThat(properties(off, "embedding")).containsEntry("realitycheck.embedding.signing.verify", "false");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HelmChart.template(Map.of("signing.keyIds.trainer", "../x")))
                .hasMessageContaining("keyIds");
    }

    @Test
    void theNotesSayHowToMakeTheSecretsThePodsWaitFor() {
        assertThat(HelmChart.notes(Map.of())).contains("openssl genpkey -algorithm ed25519",
                "kubectl -n ml create secret generic rc-realitycheck-signing --from-file=trainer.key=trainer.key --from-file=evaluation.key=evaluation.key",
                "kubectl -n ml create secret generic rc-realitycheck-signing-trusted --from-file=trainer.pem --from-file=evaluation.pem",
                "kubectl -n ml create secret generic rc-realitycheck-jwt --from-file=public.pem=");
        assertThat(HelmChart.notes(Map.of("signing.sign", false, "signing.verify", false, "auth.enabled", false)))
                .doesNotContain("Secrets the pods wait for");
    }

    @Test
    void tlsIsOnByDefaultWithACertificateTheChartMakesOnceForTheServicesNames(@TempDir Path temp) throws Exception {
        RenderedObjects objects = chart.validated(RenderedObjects.parse(HelmChart.templateWithHooks(temp, Map.of())));
        JsonNode secret = objects.get("Secret", "rc-realitycheck-tls");
        assertThat(secret.path("type").asText()).isEqualTo("kubernetes.io/tls");
        assertThat(secret.at("/metadata/annotations").path(HelmChart.HOOK_ANNOTATION).asText())
                .as("made at install only, never rewritten by an upgrade").isEqualTo("pre-install");
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        X509Certificate ca = (X509Certificate) x509.generateCertificate(decoded(secret, "ca.crt"));
        X509Certificate server = (X509Certificate) x509.generateCertificate(decoded(secret, "tls.crt"));
        server.verify(ca.getPublicKey());
        server.checkValidity();
        assertThat(server.getSubjectAlternativeNames().stream().map(name -> String.valueOf(name.get(1))).toList())
                .as("the Services' names, and localhost for port-forward").contains("rc-realitycheck-trainer",
                        "rc-realitycheck-embedding.ml.svc", "rc-realitycheck-evaluation.ml.svc.cluster.local", "localhost", "127.0.0.1");
        assertThat(new String(decoded(secret, "tls.key").readAllBytes(), StandardCharsets.US_ASCII))
                .as("a PEM key Quarkus' PEM key store reads").contains("-----BEGIN RSA PRIVATE KEY-----");

        for (String service : new String[]{"trainer", "embedding", "evaluation"}) {
            JsonNode deployment = objects.get("Deployment", "rc-realitycheck-" + service);
            assertThat(volume(deployment, "tls").at("/secret/secretName").asText()).isEqualTo("rc-realitycheck-tls");
            assertThat(RenderedObjects.container(deployment).at("/startupProbe/httpGet/scheme").asText()).isEqualTo("HTTPS");
            assertThat(objects.get("Service", "rc-realitycheck-" + service).at("/spec/ports/0/appProtocol").asText())
                    .isEqualTo("https");
        }
        assertThat(chart.renderValid(Map.of("ingress.enabled", true)).get("Ingress", "rc-realitycheck-evaluation")
                .at("/metadata/annotations").path("nginx.ingress.kubernetes.io/backend-protocol").asText()).isEqualTo("HTTPS");

        RenderedObjects fromSecret = RenderedObjects.parse(HelmChart.templateWithHooks(temp.resolve("named"),
                Map.of("tls.secretName", "rc-tls")));
        assertThat(fromSecret.ofKind("Secret")).as("a named Secret is the user's: none is made").isEmpty();
        RenderedObjects plain = chart.renderValid(Map.of("tls.enabled", false));
        assertThat(plain.ofKind("Secret")).isEmpty();
        assertThat(plain.get("Service", "rc-realitycheck-embedding").at("/spec/ports/0/appProtocol").asText())
                .isEqualTo("kubernetes.io/h2c");
        assertThat(HelmChart.notes(Map.of())).contains("gRPC, TLS only", "--tls-ca realitycheck-ca.crt",
                "kubectl -n ml get secret rc-realitycheck-tls -o jsonpath='{.data.ca\\.crt}' | base64 -d > realitycheck-ca.crt");
        assertThat(HelmChart.notes(Map.of("tls.enabled", false))).contains("gRPC, plaintext").doesNotContain("realitycheck-ca.crt");
    }

    @Test
    void networkPoliciesAdmitTheNamedNamespacesToTheServicePortOnly(@TempDir Path temp) throws IOException {
        Path values = Files.writeString(temp.resolve("namespaces.yaml"),
                "networkPolicy:\n  allowNamespaces: [ml-clients, monitoring]\n");
        RenderedObjects objects = chart.renderValid(Map.of(), values);
        for (String service : new String[]{"trainer", "embedding", "evaluation"}) {
            JsonNode ingress = objects.get("NetworkPolicy", "rc-realitycheck-" + service).at("/spec/ingress");
            assertThat(ingress).as("one rule: the service port").hasSize(1);
            assertThat(ingress.at("/0/ports").findValuesAsText("port")).containsExactly("grpc");
            assertThat(ingress.at("/0/from").findValuesAsText("kubernetes.io/metadata.name"))
                    .containsExactly("ml-clients", "monitoring");
            assertThat(ingress.at("/0/from").toString()).as("the namespace's own pods stay admitted").contains("\"podSelector\":{}");
        }
        assertThat(objects.get("NetworkPolicy", "rc-realitycheck-topics").at("/spec/ingress")).as("the topic Job takes no calls")
                .isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HelmChart.template(Map.of(),
                Files.writeString(temp.resolve("bad.yaml"), "networkPolicy:\n  allowNamespaces: [\"Not A Namespace\"]\n")))
                .hasMessageContaining("allowNamespaces");
    }

    @Test
    void withoutStrimziEachServiceLogsInAsItsOwnKafkaUserFromItsOwnSecret() {
        RenderedObjects objects = chart.renderValid(Map.of("kafka.sasl.enabled", true, "kafka.sasl.users.enabled", true,
                "kafka.sasl.jaasConfigSecret.name", "kafka-admin", "kafka.sasl.users.secrets.trainer", "trainer-kafka"));
        Map<String, String> secrets = Map.of("trainer", "trainer-kafka", "evaluation", "rc-realitycheck-kafka-evaluation",
                "embedding", "rc-realitycheck-kafka-embedding");
        secrets.forEach((service, secret) -> {
            JsonNode container = RenderedObjects.container(objects.get("Deployment", "rc-realitycheck-" + service));
            List<String> names = container.path("env").findValuesAsText("name");
            assertThat(env(container, "REALITYCHECK_KAFKA_USERNAME").at("/valueFrom/secretKeyRef/name").asText()).isEqualTo(secret);
            assertThat(env(container, "REALITYCHECK_KAFKA_USERNAME").at("/valueFrom/secretKeyRef/key").asText()).isEqualTo("username");
            assertThat(env(container, "REALITYCHECK_KAFKA_PASSWORD").at("/valueFrom/secretKeyRef/name").asText()).isEqualTo(secret);
            assertThat(names.indexOf("REALITYCHECK_KAFKA_PASSWORD")).as("$(VAR) expands only variables defined before it")
                    .isLessThan(names.indexOf("REALITYCHECK_KAFKA_SASL_JAAS_CONFIG"));
            // what the kubelet hands the service, read by Kafka's own JAAS parser
            String line = env(container, "REALITYCHECK_KAFKA_SASL_JAAS_CONFIG").path("value").asText()
                    .replace("$(REALITYCHECK_KAFKA_USERNAME)", "realitycheck-" + service)
                    .replace("$(REALITYCHECK_KAFKA_PASSWORD)", "s3cret-" + service);
            AppConfigurationEntry entry = JaasContext.loadClientContext(Map.of("sasl.jaas.config", new Password(line)))
                    .configurationEntries().getFirst();
            assertThat(entry.getLoginModuleName()).isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule");
            assertThat(entry.getOptions().get("username")).isEqualTo("realitycheck-" + service);
            assertThat(entry.getOptions().get("password")).isEqualTo("s3cret-" + service);
        });
        JsonNode job = RenderedObjects.container(objects.get("Job", "rc-realitycheck-topics-1"));
        assertThat(env(job, "REALITYCHECK_KAFKA_SASL_JAAS_CONFIG").at("/valueFrom/secretKeyRef/name").asText())
                .as("the topic Job stays the admin").isEqualTo("kafka-admin");
        assertThat(objects.get("ConfigMap", "rc-realitycheck-kafka-client").at("/data/client.properties").asText())
                .contains("security.protocol=SASL_PLAINTEXT", "sasl.mechanism=SCRAM-SHA-512");

        JsonNode plain = RenderedObjects.container(chart.renderValid(Map.of("kafka.sasl.enabled", true, "kafka.sasl.mechanism",
                "PLAIN", "kafka.sasl.users.enabled", true, "topics.create", false)).get("Deployment", "rc-realitycheck-embedding"));
        assertThat(env(plain, "REALITYCHECK_KAFKA_SASL_JAAS_CONFIG").path("value").asText())
                .startsWith("org.apache.kafka.common.security.plain.PlainLoginModule required");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HelmChart.template(Map.of("kafka.sasl.users.enabled", true)))
                .hasMessageContaining("kafka.sasl.users.enabled needs kafka.sasl.enabled");
    }

    private static java.io.InputStream decoded(JsonNode secret, String key) {
        return new ByteArrayInputStream(Base64.getDecoder().decode(secret.at("/data").path(key).asText()));
    }

    private static Properties properties(RenderedObjects objects, String service) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(applicationProperties(objects, service)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
