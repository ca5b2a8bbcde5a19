package dev.realitycheck.localstack;

import dev.realitycheck.transport.RecordSignatures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The local stack's record-signing keys ({@link RecordSignatures}), so that the local pipeline runs
 * with signatures on, as a deployment does: one Ed25519 key pair per signing service (the trainer
 * signs checkpoint manifests, the evaluation service its results) in the run directory's
 * {@code keys/}, made when missing and kept otherwise: {@code keys/<key-id>.key} (private, PKCS#8
 * PEM, owner-only) and {@code keys/trusted/<key-id>.pem} (public), the directory every verifier
 * (the evaluation and embedding services, the command-line tool) trusts.
 *
 * @param dir the run directory's {@code keys/}
 */
public record LocalSigningKeys(Path dir) {

    /** The key id of the trainer's key. */
    public static final String TRAINER_KEY_ID = "local-trainer";
    /** The key id of the evaluation service's key. */
    public static final String EVALUATION_KEY_ID = "local-evaluation";

    /** Requires the directory. */
    public LocalSigningKeys {
        java.util.Objects.requireNonNull(dir, "dir");
    }

    /** The keys of {@code runDirectory} ({@code <run>/keys}). */
    public static LocalSigningKeys of(RunDirectory runDirectory) {
        return new LocalSigningKeys(runDirectory.root().resolve("keys"));
    }

    /** The directory of trusted public keys. */
    public Path trusted() {
        return dir.resolve("trusted");
    }

    /** The private key file of {@code keyId}. */
    public Path privateKey(String keyId) {
        return dir.resolve(keyId + ".key");
    }

    /** Makes the key pairs that are missing; idempotent. */
    public LocalSigningKeys ensure() {
        try {
            Files.createDirectories(trusted());
            for (String keyId : new String[]{TRAINER_KEY_ID, EVALUATION_KEY_ID}) {
                Path pub = trusted().resolve(keyId + RecordSignatures.PUBLIC_KEY_SUFFIX);
                if (Files.isRegularFile(privateKey(keyId)) && Files.isRegularFile(pub)) {
                    continue;
                }
                KeyPair pair = RecordSignatures.generateKeyPair();
                RecordSignatures.writePrivateKey(privateKey(keyId), pair.getPrivate());
                try {
                    Files.setPosixFilePermissions(privateKey(keyId), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: the run directory's own permissions apply
                }
                RecordSignatures.writePublicKey(pub, pair.getPublic());
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the signing keys in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The signing settings of {@code service}: its private key (signers), the trusted keys (verifiers). */
    public Map<String, String> properties(StackService service) {
        String prefix = service.configPrefix() + ".signing.";
        Map<String, String> p = new LinkedHashMap<>();
        switch (service) {
            case TRAINER -> {
                p.put(prefix + "private-key", privateKey(TRAINER_KEY_ID).toString());
                p.put(prefix + "key-id", TRAINER_KEY_ID);
            }
            case EVALUATION -> {
                p.put(prefix + "private-key", privateKey(EVALUATION_KEY_ID).toString());
                p.put(prefix + "key-id", EVALUATION_KEY_ID);
                p.put(prefix + "trusted-keys", trusted().toString());
            }
            case EMBEDDING -> p.put(prefix + "trusted-keys", trusted().toString());
        }
        return p;
    }
}
