package dev.realitycheck.security;

/**
 * The two roles of the services. A JWT carries them in its {@code groups} claim; a client certificate gets
 * them from {@code quarkus.http.auth.certificate-role-properties} (common name to roles). {@link #OPERATOR}
 * implies {@link #READER} ({@link RoleAugmentor}).
 */
public final class Roles {

    /** Reads: Embed, Search, GetModel, evaluations, runs, experiments, leaderboards and their pages. */
    public static final String READER = "reader";

    /** Changes: StartExperiment, CancelRun, AddToGallery and every other call that changes state. */
    public static final String OPERATOR = "operator";

    private Roles() {
    }
}
