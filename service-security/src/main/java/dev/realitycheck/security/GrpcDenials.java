package dev.realitycheck.security;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.StatusException;
import io.quarkus.grpc.auth.AuthExceptionHandler;
import io.quarkus.grpc.auth.AuthExceptionHandlerProvider;
import io.quarkus.security.AuthenticationException;
import io.quarkus.security.ForbiddenException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;

/**
 * Maps the role checks' failures of every gRPC call to explicit statuses, with a message that says what to send,
 * and counts them ({@link DeniedCalls}): no credentials or credentials that do not verify (expired, badly signed,
 * wrong issuer) are {@code UNAUTHENTICATED}; an authenticated caller without the call's role is
 * {@code PERMISSION_DENIED}. Replaces quarkus-grpc's default mapping: the gRPC server and its
 * exception mapping resolve the one provider, so this bean is the selected alternative.
 */
@ApplicationScoped
@Alternative
@Priority(1)
public class GrpcDenials implements AuthExceptionHandlerProvider {

    static final String NO_CREDENTIALS = "authentication required: send 'authorization: Bearer <JWT>' metadata"
            + " (roles in its groups claim) or a client certificate";
    static final String BAD_CREDENTIALS = "credentials refused: the token is expired, badly signed, from another"
            + " issuer or malformed, or the certificate is not trusted";
    static final String NO_ROLE = "permission denied: the caller lacks the role this call needs"
            + " (reader for reads, operator for changes)";

    @Inject
    DeniedCalls denied;

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100;
    }

    @Override
    public boolean handlesException(Throwable failure) {
        return failure instanceof AuthenticationException || failure instanceof SecurityException;
    }

    @Override
    public StatusException transformToStatusException(Throwable failure) {
        return new StatusException(status(failure));
    }

    @Override
    public <ReqT, RespT> AuthExceptionHandler<ReqT, RespT> createHandler(ServerCall.Listener<ReqT> listener,
            ServerCall<ReqT, RespT> call, Metadata metadata) {
        return new AuthExceptionHandler<>(listener, call, metadata) {
            @Override
            protected void handleException(Throwable failure, ServerCall<ReqT, RespT> serverCall, Metadata trailers) {
                if (handlesException(failure)) {
                    serverCall.close(status(failure), trailers);
                } else {
                    super.handleException(failure, serverCall, trailers);
                }
            }
        };
    }

    private Status status(Throwable failure) {
        if (failure instanceof ForbiddenException) {
            denied.count("grpc", DeniedCalls.Reason.PERMISSION_DENIED);
            return Status.PERMISSION_DENIED.withDescription(NO_ROLE);
        }
        denied.count("grpc", DeniedCalls.Reason.UNAUTHENTICATED);
        // UnauthorizedException: anonymous; AuthenticationFailedException: credentials that did not verify
        return Status.UNAUTHENTICATED.withDescription(
                failure instanceof io.quarkus.security.UnauthorizedException ? NO_CREDENTIALS : BAD_CREDENTIALS);
    }
}
