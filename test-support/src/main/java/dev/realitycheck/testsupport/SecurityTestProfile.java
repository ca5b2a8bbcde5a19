package dev.realitycheck.testsupport;

import dev.realitycheck.localstack.LocalCredentials;
import io.grpc.Metadata;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * A service with its security on, as deployed: it verifies bearer JWTs against a key pair made here the way the
 * local stack makes its own ({@link LocalCredentials}, once per JVM), so a test signs the tokens it sends.
 */
public class SecurityTestProfile implements QuarkusTestProfile {

    private static LocalCredentials credentials;

    /** The key pair and issuer the service under test trusts. */
    public static synchronized LocalCredentials credentials() {
        if (credentials == null) {
            try {
                credentials = LocalCredentials.create(Files.createTempDirectory("security-test"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return credentials;
    }

    /** The stub sending {@code authorization: Bearer <token>} with every call. */
    public static <S extends AbstractStub<S>> S withToken(S stub, String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(credentials().serviceProperties());
        config.put("realitycheck.security.enabled", "true");
        return config;
    }
}
