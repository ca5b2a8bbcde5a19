package dev.realitycheck.security;

import dev.realitycheck.transport.RecordSignatures;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Ed25519 record signatures ({@link RecordSignatures}), the group {@code realitycheck.<service>.signing.*} of
 * each service's {@code @ConfigMapping}: checkpoint manifests and evaluation results not signed by a trusted key
 * are dead-lettered (reason {@code SIGNATURE}), never scored, served or ranked. Signers (the trainer, the
 * evaluation service) read {@code private-key} and {@code key-id}; verifiers (the evaluation and embedding
 * services) read {@code verify} and {@code trusted-keys}. Each service declares the sides it takes
 * ({@link #requireSides}) when it starts, and refuses to start when a key of a side it does not take is set
 * (a private key given to the embedding service, trusted keys given to the trainer): such a key would do
 * nothing, and whoever set it believes it does. docs/security.md has the table.
 */
public interface Signing {

    /** A side of the signatures a service takes, and the keys that belong to it. */
    enum Side {
        /** Signs the records it publishes: {@code private-key}, {@code key-id}. */
        SIGNS,
        /** Verifies the records it reads: {@code verify}, {@code trusted-keys}. */
        VERIFIES
    }

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
     * Refuses the keys of the sides a service does not take: {@code private-key} and {@code key-id} on a
     * service that does not sign, {@code trusted-keys} and {@code verify=false} on one that does not verify
     * ({@code verify=true} is the default, and cannot be told from it).
     *
     * @param service the service's name, naming {@code realitycheck.<service>.signing} in the error
     * @param sides   the sides the service takes
     * @throws IllegalStateException naming every key set for a side the service does not take
     */
    default void requireSides(String service, Side... sides) {
        Set<Side> taken = EnumSet.noneOf(Side.class);
        taken.addAll(List.of(sides));
        String prefix = "realitycheck." + service + ".signing.";
        List<String> stray = new ArrayList<>();
        if (!taken.contains(Side.SIGNS)) {
            privateKey().ifPresent(key -> stray.add(prefix + "private-key"));
            keyId().ifPresent(id -> stray.add(prefix + "key-id"));
        }
        if (!taken.contains(Side.VERIFIES)) {
            trustedKeys().ifPresent(dir -> stray.add(prefix + "trusted-keys"));
            if (!verify()) {
                stray.add(prefix + "verify=false");
            }
        }
        if (!stray.isEmpty()) {
            throw new IllegalStateException("the " + service + " service " + (taken.isEmpty() ? "neither signs nor verifies"
                    : taken.contains(Side.SIGNS) ? "signs but does not verify" : "verifies but does not sign")
                    + " records, so " + String.join(", ", stray) + " would do nothing: remove "
                    + (stray.size() == 1 ? "it" : "them") + " (docs/security.md, \"Signed records\")");
        }
    }

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
