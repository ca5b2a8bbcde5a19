package dev.realitycheck.security;

import dev.realitycheck.proto.grpc.GrpcServerMode;
import io.grpc.Metadata;
import io.quarkus.grpc.auth.GrpcSecurityMechanism;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.smallrye.jwt.runtime.auth.JsonWebTokenCredential;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Bearer JWTs on grpc-java's Netty server ({@code quarkus.grpc.server.use-separate-server=true},
 * {@link GrpcServerMode}), which Quarkus' HTTP authentication never sees: the
 * {@code authorization: Bearer <JWT>} metadata of a call
 * becomes a token request that smallrye-jwt verifies as it does on the HTTP port (same key, issuer and
 * {@code groups} roles), so the role checks and {@link GrpcDenials} answer as on the default server.
 * On the default server (gRPC on the HTTP port) this mechanism stands aside: the HTTP layer has
 * already authenticated the call, and a second verification would only cost time.
 */
@ApplicationScoped
public class SeparateServerTokens implements GrpcSecurityMechanism {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "Bearer ";

    @Inject
    GrpcServerMode serverMode;

    @Override
    public boolean handles(Metadata metadata) {
        if (!serverMode.separateServer()) {
            return false;
        }
        String value = metadata.get(AUTHORIZATION);
        return value != null && value.regionMatches(true, 0, BEARER, 0, BEARER.length());
    }

    @Override
    public AuthenticationRequest createAuthenticationRequest(Metadata metadata) {
        return new TokenAuthenticationRequest(
                new JsonWebTokenCredential(metadata.get(AUTHORIZATION).substring(BEARER.length()).trim()));
    }
}
