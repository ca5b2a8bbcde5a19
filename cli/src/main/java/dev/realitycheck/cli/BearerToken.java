package dev.realitycheck.cli;

import dev.realitycheck.localstack.LocalCredentials;
import dev.realitycheck.localstack.RunDirectory;
import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The bearer token every client command sends ({@code authorization: Bearer ...} metadata, one interceptor on the
 * one channel factory, {@link EmbeddingClient#channel}): {@code --token}, else {@code $REALITYCHECK_TOKEN}, else
 * the operator token the local stack wrote under its run directory ({@code credentials/operator.token}), else none
 * (a service with security on then answers UNAUTHENTICATED).
 */
final class BearerToken {

    /** Environment variable holding a token. */
    static final String ENV = "REALITYCHECK_TOKEN";

    private static volatile String explicit;
    private static volatile Path runDirectory;

    private BearerToken() {
    }

    /** {@code --token}: sent instead of any other. */
    static void use(String token) {
        explicit = token == null || token.isBlank() ? null : token.trim();
    }

    /** The run directory of a stack this process started (e.g. demo's {@code --run-dir}). */
    static void useRunDirectory(Path dir) {
        runDirectory = dir;
    }

    /** The token to send, if any. */
    static Optional<String> current() {
        if (explicit != null) {
            return Optional.of(explicit);
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return Optional.of(env.trim());
        }
        Optional<Path> dir = Optional.ofNullable(runDirectory).or(() -> StackAddresses.runDirectory().map(RunDirectory::root));
        Path file = dir.map(d -> d.resolve(LocalCredentials.OPERATOR_TOKEN)).filter(Files::isRegularFile).orElse(null);
        if (file == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(file).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the token " + file + ": " + e.getMessage(), e);
        }
    }

    /** The interceptor sending the token, if there is one. */
    static Optional<ClientInterceptor> interceptor() {
        return current().map(token -> {
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
            return MetadataUtils.newAttachHeadersInterceptor(headers);
        });
    }
}
