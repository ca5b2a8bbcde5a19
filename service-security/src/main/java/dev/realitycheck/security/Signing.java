package dev.realitycheck.security;

import dev.realitycheck.transport.RecordSignatures;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Ed25519 record signatures ({@link RecordSignatures}), the group {@code realitycheck.<service>.signing.*} of
 * each service's {@code @ConfigMapping}: checkpoint manifests and evaluation results not signed by a trusted key
 * are dead-lettered (reason {@code SIGNATURE}), never scored, served or ranked. Signers (the trainer, the
 * evaluation service) read {@code private-key} and {@code key-id}; verifiers (the evaluation and embedding
 * services) read {@code verify} and {@code trusted-keys}; a service ignores the keys of the role it does not
 * have. docs/security.md has the table.
 */
public interface Signing {

    /** Verify the signatures of the records read (default on; off believes every record). */
    @WithDefault("true")
    boolean verify();

    /** Directory of trusted public keys, one PEM {@code <key-id>.pem} each; required while {@code verify} is on. */
    Optional<Path> trustedKeys();

    /** PEM PKCS#8 Ed25519 private key signing the records written; absent: they go out unsigned. */
    Optional<Path> privateKey();

    /**
     * Id of {@code private-key}, the name verifiers trust its public key by; default: the service's name
     * ({@code trainer}, {@code evaluation}).
     */
    Optional<String> keyId();

    /**
     * The verifier these settings ask for.
     *
     * @param service the service's name ({@code embedding}, {@code evaluation}), naming
     *                {@code realitycheck.<service>.signing} in errors
     * @return the verifier, null when {@code verify} is off
     * @throws IllegalStateException when verification is on and no readable {@code trusted-keys} is configured
     */
    default RecordSignatures.Verifier verifier(String service) {
        return RecordSignatures.configuredVerifier(verify(), trustedKeys(), "realitycheck." + service + ".signing");
    }

    /**
     * The signer these settings ask for.
     *
     * @param service the service's name ({@code trainer}, {@code evaluation}): the default key id, and
     *                {@code realitycheck.<service>.signing} in errors
     * @return the signer, null without a private key
     * @throws IllegalStateException when the private key cannot be read
     */
    default RecordSignatures.Signer signer(String service) {
        return RecordSignatures.configuredSigner(privateKey(), keyId().orElse(service),
                "realitycheck." + service + ".signing");
    }
}
