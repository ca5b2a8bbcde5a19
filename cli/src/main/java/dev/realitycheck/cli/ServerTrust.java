package dev.realitycheck.cli;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Optional;

/**
 * Whether the client commands speak TLS, and whom they trust: {@code --tls-ca}, else
 * {@code $REALITYCHECK_TLS_CA}, names a PEM CA certificate (e.g. the Helm chart's {@code ca.crt},
 * docs/security.md); with one, every channel of the one channel factory ({@link EmbeddingClient#channel})
 * is TLS and the server's certificate must be signed by it and name the host dialled. Without
 * one the channels are plain text (the local stack on 127.0.0.1).
 */
final class ServerTrust {

    /** Environment variable naming the CA certificate. */
    static final String ENV = "REALITYCHECK_TLS_CA";

    private static volatile Path explicit;

    private ServerTrust() {
    }

    /** {@code --tls-ca}: trusted instead of {@code $REALITYCHECK_TLS_CA}; null clears it. */
    static void use(Path ca) {
        explicit = ca;
    }

    /** The CA certificate to trust, if TLS is asked for. */
    static Optional<Path> ca() {
        return Optional.ofNullable(explicit).or(() -> Optional.ofNullable(System.getenv(ENV))
                .map(String::trim).filter(name -> !name.isEmpty()).map(Path::of));
    }

    /** TLS trusting {@link #ca()}, else plain text. A CA file that cannot be read is an {@link InputException}. */
    static ChannelCredentials credentials() {
        Optional<Path> ca = ca();
        if (ca.isEmpty()) {
            return InsecureChannelCredentials.create();
        }
        if (!Files.isRegularFile(ca.get())) {
            throw new InputException("--tls-ca " + ca.get() + ": no such file");
        }
        // read here, so that a bad file is named now rather than when gRPC first builds its TLS context
        try (InputStream in = Files.newInputStream(ca.get())) {
            if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
                throw new CertificateException("no certificate in it");
            }
            return TlsChannelCredentials.newBuilder().trustManager(ca.get().toFile()).build();
        } catch (IOException | CertificateException | IllegalArgumentException e) {
            throw new InputException("--tls-ca " + ca.get() + ": not a PEM certificate (" + e.getMessage() + ")");
        }
    }
}
