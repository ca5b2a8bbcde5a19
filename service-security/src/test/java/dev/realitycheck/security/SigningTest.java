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
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(ServiceConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 100)).build();
        return config.getConfigMapping(ServiceConfig.class).signing();
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
}
