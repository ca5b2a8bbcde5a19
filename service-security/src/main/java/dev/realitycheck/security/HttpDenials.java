package dev.realitycheck.security;

import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Counts the HTTP requests Quarkus' permission checks refuse (401: no or invalid credentials, 403: no role) in
 * {@link DeniedCalls}. gRPC calls answer HTTP 200 with their status in the trailers and are counted by
 * {@link GrpcDenials}, never here.
 */
@ApplicationScoped
public class HttpDenials {

    @Inject
    DeniedCalls denied;

    void register(@Observes Filters filters) {
        filters.register(ctx -> {
            ctx.addHeadersEndHandler(ignored -> {
                int code = ctx.response().getStatusCode();
                if (code == 401) {
                    denied.count("http", DeniedCalls.Reason.UNAUTHENTICATED);
                } else if (code == 403) {
                    denied.count("http", DeniedCalls.Reason.PERMISSION_DENIED);
                }
            });
            ctx.next();
        }, 1000);
    }
}
