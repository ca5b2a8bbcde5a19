package dev.realitycheck.security.testing;

import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;

/** Sends a bearer token with every gRPC call of a test's channel or stub ({@code authorization: Bearer ...}). */
public final class BearerTokens {

    private BearerTokens() {
    }

    /** The client interceptor sending {@code authorization: Bearer <token>} with every call. */
    public static ClientInterceptor bearer(String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }

    /** The stub sending {@code authorization: Bearer <token>} with every call. */
    public static <S extends AbstractStub<S>> S withToken(S stub, String token) {
        return stub.withInterceptors(bearer(token));
    }
}
