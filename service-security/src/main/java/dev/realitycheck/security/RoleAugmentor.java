package dev.realitycheck.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Completes every identity Quarkus authenticated (JWT, client certificate, or anonymous): an operator is also a
 * reader; with {@code realitycheck.security.enabled=false} every caller, anonymous included, becomes an
 * operator named {@code insecure}, so the same role checks pass without credentials.
 */
@ApplicationScoped
public class RoleAugmentor implements SecurityIdentityAugmentor {

    @Inject
    SecurityConfig config;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (!config.enabled()) {
            return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(identity.isAnonymous() ? "insecure" : identity.getPrincipal().getName()))
                    .addRole(Roles.READER).addRole(Roles.OPERATOR).setAnonymous(false).build());
        }
        if (identity.hasRole(Roles.OPERATOR) && !identity.hasRole(Roles.READER)) {
            return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity).addRole(Roles.READER).build());
        }
        return Uni.createFrom().item(identity);
    }
}
