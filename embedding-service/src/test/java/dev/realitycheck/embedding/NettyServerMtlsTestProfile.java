package dev.realitycheck.embedding;

import dev.realitycheck.security.testing.SecurityTestProfile;
import dev.realitycheck.testsupport.TestPorts;
import java.util.HashMap;
import java.util.Map;

/**
 * Security on and mutual TLS required on grpc-java's own Netty server: its TLS is the gRPC server's own
 * ({@code quarkus.grpc.server.ssl.*}), with {@link TlsTestProfile}'s key store and {@link MtlsTestProfile}'s trust
 * store (one client certificate, CN=operator), {@code client-auth=REQUIRED} and no plain text.
 */
public class NettyServerMtlsTestProfile extends SecurityTestProfile {

    private static int port;

    /** The separate gRPC server's TLS port, chosen once per JVM. */
    static synchronized int port() {
        if (port == 0) {
            port = TestPorts.free();
        }
        return port;
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("quarkus.grpc.server.use-separate-server", "true");
        config.put("quarkus.grpc.server.port", Integer.toString(port()));
        config.put("quarkus.grpc.server.test-port", Integer.toString(port()));
        config.put("quarkus.grpc.server.plain-text", "false");
        config.put("quarkus.grpc.server.ssl.key-store", TlsTestProfile.keyStore().toString());
        config.put("quarkus.grpc.server.ssl.key-store-type", "pkcs12");
        config.put("quarkus.grpc.server.ssl.key-store-password", TlsTestProfile.PASSWORD);
        config.put("quarkus.grpc.server.ssl.trust-store", MtlsTestProfile.dir().resolve("trust.p12").toString());
        config.put("quarkus.grpc.server.ssl.trust-store-type", "pkcs12");
        config.put("quarkus.grpc.server.ssl.trust-store-password", TlsTestProfile.PASSWORD);
        config.put("quarkus.grpc.server.ssl.client-auth", "REQUIRED");
        return config;
    }
}
