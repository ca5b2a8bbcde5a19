package dev.realitycheck.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Ed25519 signatures on Kafka records, the one mechanism every producer and consumer of signed
 * records uses: checkpoint manifests on {@link Topics#CHECKPOINTS} (the manifest carries the size and
 * SHA-256 of the model's bytes, so signing it covers the chunks) and evaluation results on
 * {@link Topics#EVALUATIONS}.
 *
 * <p>The signature covers the record's exact value bytes (the serialized {@code CheckpointRecord} of
 * the manifest, the serialized {@code EvaluationResult}) and travels in two Kafka headers, so the
 * protobuf messages are unchanged: {@value #SIGNATURE_HEADER} (the 64 signature bytes) and
 * {@value #KEY_ID_HEADER} (the signer's key id, UTF-8). A verifier trusts several public keys by key
 * id, so keys can rotate: add the new public key to every verifier, switch the signer, then remove the
 * old key.
 *
 * <p>Keys are files: a private key as PEM {@code PRIVATE KEY} (PKCS#8), public keys as PEM
 * {@code PUBLIC KEY} (X.509 SubjectPublicKeyInfo), one {@code <key-id>.pem} per trusted key in a
 * directory ({@link Verifier#fromDirectory}).
 */
public final class RecordSignatures {

    /** The header holding the Ed25519 signature of the record's value. */
    public static final String SIGNATURE_HEADER = "realitycheck-signature";

    /** The header naming the key that signed (UTF-8). */
    public static final String KEY_ID_HEADER = "realitycheck-key-id";

    /** The JDK's name of the algorithm. */
    public static final String ALGORITHM = "Ed25519";

    /** File name suffix of a trusted public key in a verifier's directory. */
    public static final String PUBLIC_KEY_SUFFIX = ".pem";

    private RecordSignatures() {
    }

    /**
     * Signs record values with one private key.
     *
     * @param keyId the id verifiers know the matching public key by: letters, digits, '.', '_', '-'
     * @param key   an Ed25519 private key
     */
    public record Signer(String keyId, PrivateKey key) {

        /** Validates the key id and the key's algorithm. */
        public Signer {
            requireKeyId(keyId);
            Objects.requireNonNull(key, "key");
            if (!key.getAlgorithm().equals("EdDSA") && !key.getAlgorithm().equals(ALGORITHM)) {
                throw new IllegalArgumentException("signing key " + keyId + " is " + key.getAlgorithm() + ", not Ed25519");
            }
        }

        /** The signer of the PEM/PKCS#8 private key in {@code privateKeyPem}. */
        public static Signer load(String keyId, Path privateKeyPem) throws IOException {
            return new Signer(keyId, readPrivateKey(privateKeyPem));
        }

        /** The signature of {@code value}. */
        public byte[] signature(byte[] value) {
            try {
                Signature s = Signature.getInstance(ALGORITHM);
                s.initSign(key);
                s.update(value);
                return s.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot sign with key " + keyId + ": " + e, e);
            }
        }

        /** {@code record} with the signature of its value and this key's id in its headers (replacing any). */
        public <K> ProducerRecord<K, byte[]> sign(ProducerRecord<K, byte[]> record) {
            Headers headers = record.headers();
            headers.remove(SIGNATURE_HEADER);
            headers.remove(KEY_ID_HEADER);
            headers.add(SIGNATURE_HEADER, signature(record.value()));
            headers.add(KEY_ID_HEADER, keyId.getBytes(StandardCharsets.UTF_8));
            return record;
        }
    }

    /** Checks record signatures against public keys trusted by key id. */
    public static final class Verifier {

        private final Map<String, PublicKey> trusted;

        /** @param trusted public keys by key id (may be empty: then every record fails) */
        public Verifier(Map<String, PublicKey> trusted) {
            trusted.keySet().forEach(RecordSignatures::requireKeyId);
            this.trusted = Map.copyOf(trusted);
        }

        /** Every {@code <key-id>.pem} public key in {@code dir}. */
        public static Verifier fromDirectory(Path dir) throws IOException {
            if (!Files.isDirectory(dir)) {
                throw new IOException("trusted keys directory " + dir + " does not exist");
            }
            Map<String, PublicKey> keys = new LinkedHashMap<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.sorted().toList()) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(PUBLIC_KEY_SUFFIX) && Files.isRegularFile(file)) {
                        keys.put(name.substring(0, name.length() - PUBLIC_KEY_SUFFIX.length()), readPublicKey(file));
                    }
                }
            }
            return new Verifier(keys);
        }

        /** The key ids trusted. */
        public java.util.Set<String> keyIds() {
            return trusted.keySet();
        }

        /** {@link #problem(byte[], Headers)} of a consumed record. */
        public Optional<String> problem(org.apache.kafka.clients.consumer.ConsumerRecord<?, byte[]> record) {
            return problem(record.value(), record.headers());
        }

        /**
         * Why {@code value} with {@code headers} is not signed by a trusted key (unsigned, unknown key
         * id, bad signature), or empty when it is.
         */
        public Optional<String> problem(byte[] value, Headers headers) {
            Header signature = headers == null ? null : headers.lastHeader(SIGNATURE_HEADER);
            Header keyId = headers == null ? null : headers.lastHeader(KEY_ID_HEADER);
            if (signature == null || keyId == null || signature.value() == null || keyId.value() == null) {
                return Optional.of("unsigned: no " + SIGNATURE_HEADER + " and " + KEY_ID_HEADER + " headers");
            }
            String id = new String(keyId.value(), StandardCharsets.UTF_8);
            PublicKey key = trusted.get(id);
            if (key == null) {
                return Optional.of("signed with key '" + id + "', which is not trusted (trusted: " + trusted.keySet() + ")");
            }
            try {
                Signature s = Signature.getInstance(ALGORITHM);
                s.initVerify(key);
                s.update(value == null ? new byte[0] : value);
                if (s.verify(signature.value())) {
                    return Optional.empty();
                }
            } catch (GeneralSecurityException e) {
                return Optional.of("signature with key '" + id + "' cannot be checked: " + e.getMessage());
            }
            return Optional.of("bad signature: the value does not match key '" + id + "'");
        }
    }

    /**
     * The verifier a service's settings ask for.
     *
     * @param verify      verification on (the default everywhere) or off
     * @param trustedKeys the directory of trusted public keys ({@link Verifier#fromDirectory})
     * @param prefix      the service's setting prefix, named in the error, e.g. {@code realitycheck.evaluation.signing}
     * @return the verifier, or null when verification is off
     * @throws IllegalStateException when verification is on and no directory is configured or it cannot be read
     */
    public static Verifier configuredVerifier(boolean verify, Optional<Path> trustedKeys, String prefix) {
        if (!verify) {
            return null;
        }
        Path dir = trustedKeys.orElseThrow(() -> new IllegalStateException("signature verification is on ("
                + prefix + ".verify) but " + prefix + ".trusted-keys names no directory of trusted public keys"));
        try {
            return Verifier.fromDirectory(dir);
        } catch (IOException e) {
            throw new IllegalStateException(prefix + ".trusted-keys: " + e.getMessage(), e);
        }
    }

    /**
     * The signer a service's settings ask for.
     *
     * @param privateKey the PEM private key, or empty: records go out unsigned
     * @param keyId      the key's id
     * @param prefix     the service's setting prefix, named in the error
     * @return the signer, or null when no private key is configured
     * @throws IllegalStateException when the key cannot be read
     */
    public static Signer configuredSigner(Optional<Path> privateKey, String keyId, String prefix) {
        if (privateKey.isEmpty()) {
            return null;
        }
        try {
            return Signer.load(keyId, privateKey.get());
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException(prefix + ".private-key: " + e.getMessage(), e);
        }
    }

    /** A new Ed25519 key pair. */
    public static KeyPair generateKeyPair() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + ALGORITHM, e);
        }
    }

    /** Writes {@code key} as PEM {@code PRIVATE KEY} (PKCS#8). */
    public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        Files.writeString(file, pem("PRIVATE KEY", key.getEncoded()));
    }

    /** Writes {@code key} as PEM {@code PUBLIC KEY} (X.509 SubjectPublicKeyInfo). */
    public static void writePublicKey(Path file, PublicKey key) throws IOException {
        Files.writeString(file, pem("PUBLIC KEY", key.getEncoded()));
    }

    /** Reads a PEM {@code PRIVATE KEY} (PKCS#8) Ed25519 key. */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(unpem(file, "PRIVATE KEY")));
        } catch (GeneralSecurityException e) {
            throw new IOException(file + " is not an Ed25519 PKCS#8 private key: " + e.getMessage(), e);
        }
    }

    /** Reads a PEM {@code PUBLIC KEY} (X.509 SubjectPublicKeyInfo) Ed25519 key. */
    public static PublicKey readPublicKey(Path file) throws IOException {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(unpem(file, "PUBLIC KEY")));
        } catch (GeneralSecurityException e) {
            throw new IOException(file + " is not an Ed25519 X.509 public key: " + e.getMessage(), e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] unpem(Path file, String type) throws IOException {
        String text = Files.readString(file);
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IOException(file + " has no PEM " + type + " block");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": bad base64 in its PEM " + type + " block", e);
        }
    }

    private static void requireKeyId(String keyId) {
        if (keyId == null || !keyId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("key id must be 1-64 letters, digits, '.', '_' or '-', was '" + keyId + "'");
        }
    }
}
