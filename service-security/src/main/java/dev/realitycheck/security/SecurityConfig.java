package dev.realitycheck.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The services' security switch ({@code realitycheck.security.*}). Keys, issuer and TLS are Quarkus' own
 * settings ({@code mp.jwt.verify.*}, {@code quarkus.tls.*}, {@code quarkus.http.ssl.client-auth}); see
 * docs/security.md.
 */
@ConfigMapping(prefix = "realitycheck.security")
public interface SecurityConfig {

    /**
     * Whether callers must authenticate and hold the role of each call (default {@code true}). {@code false}
     * lets every caller, anonymous included, read and change everything: only for a trusted network
     * ({@code bin/realitycheck up --insecure}) and tests that are not about security.
     */
    @WithDefault("true")
    boolean enabled();
}
