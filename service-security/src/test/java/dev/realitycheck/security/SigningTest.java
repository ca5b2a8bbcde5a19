package dev.realitycheck.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realitycheck.transport.RecordSignatures;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one {@link Signing} group, mapped under a service's prefix as the three services map it: its keys are
 * {@code realitycheck.<service>.signing.*}, the key id defaults to the service's name, and the errors name the
 * service's keys.
 */
class SigningTest {

    /** A service's mapping, as {@code EvaluationConfig} holds the group. */
    @ConfigMapping(prefix = "realitycheck.evaluation")
    interface ServiceConfig {
        Signing signing();
    }

    private static Signing mapped(Map<String, String> properties) {
        return mapped("evaluation", properties);
    }

    /** The group as {@code service} maps it, under {@code realitycheck.<service>}. */
    private static Signing mapped(String service, Map<String, String> properties) {
        String prefix = "realitycheck." + service;
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(ServiceConfig.class, prefix)
                .withSources(new PropertiesConfigSource(properties, "test", 100)).build();
        return config.getConfigMapping(ServiceConfig.class, prefix).signing();
    }

    @Test
    void theDefaultsVerifyAndSignUnderTheServicesNameAndTheErrorsNameItsKeys() {
        Signing defaults = mapped(Map.of());
        assertThat(defaults.verify()).isTrue();
        assertThat(defaults.trustedKeys()).isEmpty();
        assertThat(defaults.signer("evaluation")).as("no private key: unsigned").isNull();
        assertThatThrownBy(() -> defaults.verifier("evaluation")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("realitycheck.evaluation.signing.verify")
                .hasMessageContaining("realitycheck.evaluation.signing.trusted-keys");
        assertThat(mapped(Map.of("realitycheck.evaluation.signing.verify", "false")).verifier("evaluation")).isNull();
    }

    @Test
    void theServicesKeysMakeItsSignerAndVerifier(@TempDir Path dir) throws IOException {
        KeyPair pair = RecordSignatures.generateKeyPair();
        Path privateKey = dir.resolve("private.key");
        RecordSignatures.writePrivateKey(privateKey, pair.getPrivate());
        Path trusted = Files.createDirectory(dir.resolve("trusted"));
        RecordSignatures.writePublicKey(trusted.resolve("evaluation.pem"), pair.getPublic());

        Signing signing = mapped(Map.of("realitycheck.evaluation.signing.private-key", privateKey.toString(),
                "realitycheck.evaluation.signing.trusted-keys", trusted.toString()));
        RecordSignatures.Signer signer = signing.signer("evaluation");
        assertThat(signer.keyId()).as("the key id defaults to the service's name").isEqualTo("evaluation");
        assertThat(signing.verifier("evaluation").keyIds()).containsExactly("evaluation");

        Signing renamed = mapped(Map.of("realitycheck.evaluation.signing.private-key", privateKey.toString(),
                "realitycheck.evaluation.signing.key-id", "evaluation-2027"));
        assertThat(renamed.signer("evaluation").keyId()).isEqualTo("evaluation-2027");
        assertThatThrownBy(() -> mapped(Map.of("realitycheck.evaluation.signing.private-key",
                dir.resolve("absent.key").toString())).signer("evaluation"))
                .hasMessageContaining("realitycheck.evaluation.signing.private-key");
    }

    @Test
    void aKeyOfASideTheServiceDoesNotTakeStopsItsStart() {
        assertThatThrownBy(() -> mapped("embedding", Map.of("realitycheck.embedding.signing.private-key", "/k/e.key",
                "realitycheck.embedding.signing.key-id", "embedding")).requireSides("embedding", Signing.Side.VERIFIES))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the embedding service verifies but does not sign")
                .hasMessageContaining("realitycheck.embedding.signing.private-key, realitycheck.embedding.signing.key-id");
        assertThatThrownBy(() -> mapped("trainer", Map.of("realitycheck.trainer.signing.trusted-keys", "/k/trusted"))
                .requireSides("trainer", Signing.Side.SIGNS))
                .hasMessageContaining("the trainer service signs but does not verify")
                .hasMessageContaining("realitycheck.trainer.signing.trusted-keys would do nothing: remove it");
        assertThatThrownBy(() -> mapped("trainer", Map.of("realitycheck.trainer.signing.verify", "false"))
                .requireSides("trainer", Signing.Side.SIGNS))
                .hasMessageContaining("realitycheck.trainer.signing.verify=false");
    }

    @Test
    void theKeysOfTheSidesAServiceTakesAreAccepted() {
        mapped("trainer", Map.of("realitycheck.trainer.signing.private-key", "/k/t.key",
                "realitycheck.trainer.signing.key-id", "trainer-2027")).requireSides("trainer", Signing.Side.SIGNS);
        mapped("embedding", Map.of("realitycheck.embedding.signing.trusted-keys", "/k/trusted",
                "realitycheck.embedding.signing.verify", "false")).requireSides("embedding", Signing.Side.VERIFIES);
        mapped(Map.of("realitycheck.evaluation.signing.private-key", "/k/e.key",
                "realitycheck.evaluation.signing.key-id", "evaluation", "realitycheck.evaluation.signing.trusted-keys",
                "/k/trusted", "realitycheck.evaluation.signing.verify", "false"))
                .requireSides("evaluation", Signing.Side.SIGNS, Signing.Side.VERIFIES);
        assertThat(mapped("trainer", Map.of()).trustedKeys()).as("nothing set, nothing refused").isEmpty();
        mapped("trainer", Map.of()).requireSides("trainer", Signing.Side.SIGNS);
    }
}
