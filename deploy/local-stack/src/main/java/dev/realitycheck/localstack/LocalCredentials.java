package dev.realitycheck.localstack;

import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Credentials of a local stack, made at its start under its run directory ({@code .run/credentials/}): an RSA
 * key pair for JWTs (public key {@code jwt-public.pem}, given to the services as
 * {@code mp.jwt.verify.publickey.location}) and two bearer tokens signed with it (smallrye-jwt-build),
 * {@code operator.token} and {@code reader.token}, which the CLI sends. The private key stays in memory.
 *
 * @param directory where the public key and the tokens are written
 * @param keys the signing key pair
 * @param issuer the tokens' {@code iss}, which the services require ({@code mp.jwt.verify.issuer})
 */
public record LocalCredentials(Path directory, KeyPair keys, String issuer) {

    /** The issuer the services accept by default (service-security's {@code mp.jwt.verify.issuer}). */
    public static final String ISSUER = "realitycheck";
    /** How long the local stack's tokens are valid. */
    public static final Duration TOKEN_LIFETIME = Duration.ofDays(7);
    /** The file, under a run directory, holding the operator's token. */
    public static final String OPERATOR_TOKEN = "credentials/operator.token";
    /** The file, under a run directory, holding the reader's token. */
    public static final String READER_TOKEN = "credentials/reader.token";

    public LocalCredentials {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(keys, "keys");
        if (issuer == null || issuer.isBlank()) {
            throw new IllegalArgumentException("issuer must not be blank");
        }
    }

    /**
     * A new key pair, its public key and an operator and a reader token written under {@code runDirectory}.
     *
     * @param runDirectory the stack's run directory
     */
    public static LocalCredentials create(Path runDirectory) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            LocalCredentials credentials = new LocalCredentials(runDirectory.resolve("credentials"),
                    generator.generateKeyPair(), ISSUER);
            Files.createDirectories(credentials.directory());
            Files.writeString(credentials.publicKey(), "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(credentials.keys().getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
            writePrivate(runDirectory.resolve(OPERATOR_TOKEN), credentials.token("operator", TOKEN_LIFETIME, "operator"));
            writePrivate(runDirectory.resolve(READER_TOKEN), credentials.token("reader", TOKEN_LIFETIME, "reader"));
            return credentials;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no RSA key generator", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The PEM public key the services verify tokens with. */
    public Path publicKey() {
        return directory.resolve("jwt-public.pem");
    }

    /**
     * A signed bearer token (RS256).
     *
     * @param subject the caller's name ({@code sub}, {@code upn})
     * @param lifetime how long it is valid; negative for a token that has already expired
     * @param roles its {@code groups}
     */
    public String token(String subject, Duration lifetime, String... roles) {
        long now = System.currentTimeMillis() / 1000;
        return Jwt.issuer(issuer).subject(subject).upn(subject).groups(Set.of(roles))
                .issuedAt(Math.min(now, now + lifetime.toSeconds() - 60)).expiresAt(now + lifetime.toSeconds())
                .sign(keys.getPrivate());
    }

    /** The services' settings that make them accept these tokens. */
    public Map<String, String> serviceProperties() {
        return Map.of("mp.jwt.verify.publickey.location", publicKey().toString(), "mp.jwt.verify.issuer", issuer);
    }

    private static void writePrivate(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content);
    }
}
