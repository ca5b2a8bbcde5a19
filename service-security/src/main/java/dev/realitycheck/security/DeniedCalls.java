package dev.realitycheck.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Counts refused calls: {@code realitycheck_security_denied_total{service, protocol, reason}} in
 * {@code /q/metrics}, where service is the application ({@code trainer-service}, ...), protocol {@code grpc} or
 * {@code http}, and reason {@code unauthenticated} (no or invalid credentials: UNAUTHENTICATED, 401) or
 * {@code permission_denied} (authenticated without the role: PERMISSION_DENIED, 403).
 */
@ApplicationScoped
public class DeniedCalls {

    /** The meter's name (Prometheus: {@code realitycheck_security_denied_total}). */
    public static final String METRIC = "realitycheck.security.denied";

    /** Why a call was refused. */
    public enum Reason {
        /** No credentials, or credentials that did not verify. */
        UNAUTHENTICATED,
        /** Valid credentials without the role the call needs. */
        PERMISSION_DENIED
    }

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "quarkus.application.name")
    String service;

    /** Counts one refused call. */
    public void count(String protocol, Reason reason) {
        Counter.builder(METRIC).description("Calls refused for missing or invalid credentials or a missing role")
                .tag("service", service).tag("protocol", protocol).tag("reason", reason.name().toLowerCase())
                .register(registry).increment();
    }
}
