package dev.realitycheck.knn;

import java.util.function.Supplier;

/**
 * The one place that asks whether this JVM can run code written with the Vector API: the
 * {@code jdk.incubator.vector} module is only there when the JVM runs with
 * {@code --add-modules=jdk.incubator.vector} (every JVM of the project does; parent {@code pom.xml},
 * {@code bin/jdk.sh}). The kNN kernels ({@link DotKernel#best}, {@link RowKernel#best}) and the
 * datasets' {@code Uint8Values} pick their vector or scalar form here.
 */
public final class VectorApi {

    private static final boolean PRESENT = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private VectorApi() {
    }

    /** @return whether the {@code jdk.incubator.vector} module is in this JVM's boot layer */
    public static boolean present() {
        return PRESENT;
    }

    /**
     * The vector form when the module is present and its code links on this platform, else the fallback.
     * Reach the Vector API code only inside {@code vectorised}, as a lambda ({@code () -> new X()}), not
     * as a method reference ({@code X::new}): linking a method reference loads its class before this
     * method runs, where a missing module could not be caught.
     *
     * @param vectorised builds or runs the Vector API form; a {@link LinkageError} it throws (the module
     *                   is listed but unusable on this platform) means the fallback
     * @param fallback   the portable form
     * @return what {@code vectorised} gave, or else what {@code fallback} gave
     */
    public static <T> T orElse(Supplier<? extends T> vectorised, Supplier<? extends T> fallback) {
        if (PRESENT) {
            try {
                return vectorised.get();
            } catch (LinkageError e) {
                // the module is listed but unusable on this platform: the fallback
            }
        }
        return fallback.get();
    }
}
