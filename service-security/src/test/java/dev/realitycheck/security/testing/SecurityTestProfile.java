package dev.realitycheck.security.testing;

import dev.realitycheck.localstack.LocalCredentials;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * A service with its security on, as deployed: it verifies bearer JWTs against a key pair made here the way the
 * local stack makes its own ({@link LocalCredentials}, once per JVM), so a test signs the tokens it sends
 * ({@link BearerTokens} attaches them).
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

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(credentials().serviceProperties());
        config.put("realitycheck.security.enabled", "true");
        return config;
    }
}
