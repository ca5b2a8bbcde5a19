package dev.realitycheck.embedding;

import dev.realitycheck.security.testing.SecurityTestProfile;
import dev.realitycheck.testsupport.TestPorts;
import java.util.HashMap;
import java.util.Map;

/**
 * Security on, with gRPC on grpc-java's own Netty server ({@code quarkus.grpc.server.use-separate-server=true},
 * docs/security.md) instead of the HTTP port, in plain text on a free port chosen here (one per JVM:
 * Quarkus runs one profile's application at a time).
 */
public class NettyServerTestProfile extends SecurityTestProfile {

    private static int port;

    /** The separate gRPC server's port, chosen once per JVM. */
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
        return config;
    }
}
