package dev.realitycheck.embedding;

import dev.realitycheck.testsupport.TestCertificates;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The service with TLS on its HTTP (and so gRPC) port, from the TLS registry's default key store: a
 * self-signed PKCS12 certificate for localhost generated here with the JDK's keytool. Plain-text
 * requests are refused ({@code quarkus.http.insecure-requests=disabled}).
 */
public class TlsTestProfile implements QuarkusTestProfile {

    /** The key store's password. */
    static final String PASSWORD = TestCertificates.PASSWORD;

    private static Path keyStore;

    /** The generated key store (server key and certificate, {@link TestCertificates}), created once per JVM. */
    static synchronized Path keyStore() {
        if (keyStore == null) {
            try {
                keyStore = TestCertificates.localhost(Files.createTempDirectory("embedding-tls"), "server").keyStore();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return keyStore;
    }

    /** Runs the JDK's keytool with these arguments ({@link TestCertificates#keytool}). */
    static void keytool(String... args) {
        TestCertificates.keytool(args);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.tls.key-store.p12.path", keyStore().toString(),
                "quarkus.tls.key-store.p12.password", PASSWORD,
                "quarkus.http.test-ssl-port", "0",
                "quarkus.http.insecure-requests", "disabled");
    }
}
