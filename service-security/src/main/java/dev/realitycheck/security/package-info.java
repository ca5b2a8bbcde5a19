/**
 * Authentication and roles of the three services, in one place: {@link dev.realitycheck.security.Roles} (the
 * two roles; the RPCs declare theirs with {@code @RolesAllowed}), {@link dev.realitycheck.security.SecurityConfig}
 * (the off switch), {@link dev.realitycheck.security.RoleAugmentor} (operator implies reader; everything allowed
 * when switched off), {@link dev.realitycheck.security.GrpcDenials} and {@link dev.realitycheck.security.HttpDenials}
 * (UNAUTHENTICATED/PERMISSION_DENIED and 401/403, counted by {@link dev.realitycheck.security.DeniedCalls}),
 * {@link dev.realitycheck.security.SeparateServerTokens} (bearer JWTs on grpc-java's own Netty server). The
 * HTTP permissions (open probes, reader pages) and the JWT defaults are in this module's
 * {@code META-INF/microprofile-config.properties}, read by every service that depends on it.
 */
package dev.realitycheck.security;
