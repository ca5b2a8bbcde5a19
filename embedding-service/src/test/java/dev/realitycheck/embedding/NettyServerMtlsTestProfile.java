package dev.realitycheck.embedding;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link NettyServerTestProfile} with mutual TLS required: the gRPC server's own TLS
 * ({@code quarkus.grpc.server.ssl.*}), with {@link TlsTestProfile}'s key store and {@link MtlsTestProfile}'s trust
 * store (one client certificate, CN=operator), {@code client-auth=REQUIRED} and no plain text.
 */
public class NettyServerMtlsTestProfile extends NettyServerTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
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
