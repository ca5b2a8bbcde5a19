package dev.realitycheck.proto.grpc;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which server answers the application's gRPC calls, read once from
 * {@code quarkus.grpc.server.use-separate-server} for every bean that behaves differently on the two:
 * grpc-java's own Netty server on its own port ({@code true}, Quarkus' default), or the Vert.x HTTP
 * server on the HTTP port ({@code false}, how the services run: their {@code application.properties}).
 * {@link SpecEncodedStatusMessages} and the service-security module's {@code SeparateServerTokens}
 * stand aside on one of them each.
 */
@Singleton
public class GrpcServerMode {

    /** The Quarkus property. */
    public static final String PROPERTY = "quarkus.grpc.server.use-separate-server";

    private final boolean separateServer;

    /** @param separateServer the property's value; unset, Quarkus' default {@code true} */
    @Inject
    public GrpcServerMode(@ConfigProperty(name = PROPERTY, defaultValue = "true") boolean separateServer) {
        this.separateServer = separateServer;
    }

    /** @return whether grpc-java's own Netty server serves gRPC, rather than the Vert.x HTTP server */
    public boolean separateServer() {
        return separateServer;
    }
}
