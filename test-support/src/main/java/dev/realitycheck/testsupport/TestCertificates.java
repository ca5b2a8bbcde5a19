package dev.realitycheck.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Self-signed TLS certificates for tests, made with the JDK's own {@code keytool} (no extra library):
 * an RSA key and a certificate for {@code localhost} and 127.0.0.1, valid two days.
 *
 * @param keyStore PKCS12 key store holding the key and certificate (alias {@code server})
 * @param password its password
 * @param certificate the certificate alone, PEM, for clients to trust
 */
public record TestCertificates(Path keyStore, String password, Path certificate) {

    /** The key store password of every generated store. */
    public static final String PASSWORD = "changeit";

    /** Requires every part. */
    public TestCertificates {
        java.util.Objects.requireNonNull(keyStore, "keyStore");
        java.util.Objects.requireNonNull(password, "password");
        java.util.Objects.requireNonNull(certificate, "certificate");
    }

    /** Makes {@code <name>.p12} and {@code <name>.crt} in {@code dir}. */
    public static TestCertificates localhost(Path dir, String name) {
        Path store = dir.resolve(name + ".p12");
        Path pem = dir.resolve(name + ".crt");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", store.toString(), "-storepass", PASSWORD,
                "-file", pem.toString());
        return new TestCertificates(store, PASSWORD, pem);
    }

    /** Runs the JDK's keytool with these arguments; fails with its output when it fails. */
    public static void keytool(String... args) {
        try {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
            command.addAll(List.of(args));
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
}
