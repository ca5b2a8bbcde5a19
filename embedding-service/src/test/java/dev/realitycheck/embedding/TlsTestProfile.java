package dev.realitycheck.embedding;

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

    /** The HTTPS port in this profile. */
    static final int PORT = 18482;
    /** The key store's password. */
    static final String PASSWORD = "changeit";

    private static Path keyStore;

    /** The generated key store (server key and certificate), created once per JVM. */
    static synchronized Path keyStore() {
        if (keyStore == null) {
            try {
                Path file = Files.createTempDirectory("embedding-tls").resolve("server.p12");
                keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                        "-keystore", file.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
                keyStore = file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return keyStore;
    }

    /** Runs the JDK's keytool with these arguments; fails with its output when it fails. */
    static void keytool(String... args) {
        try {
            java.util.List<String> command = new java.util.ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
            command.addAll(java.util.List.of(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException("keytool failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.tls.key-store.p12.path", keyStore().toString(),
                "quarkus.tls.key-store.p12.password", PASSWORD,
                "quarkus.http.test-ssl-port", Integer.toString(PORT),
                "quarkus.http.insecure-requests", "disabled");
    }
}
