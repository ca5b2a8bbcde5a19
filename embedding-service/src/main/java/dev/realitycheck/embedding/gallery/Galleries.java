package dev.realitycheck.embedding.gallery;

import io.grpc.Status;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The named galleries of this replica (in memory; each replica has its own), each searched with the
 * index its name is configured for ({@code gallery-index-for.<name>}, else {@code gallery-index}).
 */
public final class Galleries {

    /** The gallery used when a request names none. */
    public static final String DEFAULT = "default";

    private final Map<String, Gallery> galleries = new ConcurrentHashMap<>();
    private final Function<String, GalleryIndexFactory> indexFor;

    /** Galleries searched exactly with 2 threads. */
    public Galleries() {
        this(name -> GalleryIndexFactory.exact(2));
    }

    /** Galleries whose index is chosen by name. */
    public Galleries(Function<String, GalleryIndexFactory> indexFor) {
        this.indexFor = indexFor;
    }

    /** The gallery, created on first use. */
    public Gallery getOrCreate(String name) {
        return galleries.computeIfAbsent(resolve(name), n -> new Gallery(n, indexFor.apply(n)));
    }

    /**
     * Adds to a gallery within this replica's bound on the items of all its galleries together: the
     * other galleries' items, this one's (none when {@code replace}) and {@code adding} may not exceed
     * {@code limit}. Adds run one at a time per replica (searches do not wait), so that two
     * concurrent adds cannot both pass the check.
     *
     * @param gallery the gallery, from {@link #getOrCreate}
     * @param replace clear the gallery first (after the check)
     * @param adding  the items to add
     * @param limit   {@code realitycheck.embedding.max-replica-gallery-items}
     * @param add     adds them; its result is returned
     * @throws io.grpc.StatusRuntimeException RESOURCE_EXHAUSTED naming the limit, before any work
     */
    public synchronized <T> T addWithinReplicaLimit(Gallery gallery, boolean replace, int adding, long limit,
            Supplier<T> add) {
        long held = 0;
        for (Gallery g : galleries.values()) {
            held += g == gallery && replace ? 0 : g.size();
        }
        if (held + adding > limit) {
            throw Status.RESOURCE_EXHAUSTED.withDescription("this replica's galleries hold " + held + " items; " + adding
                    + " more exceed its limit of " + limit + " (realitycheck.embedding.max-replica-gallery-items)")
                    .asRuntimeException();
        }
        if (replace) {
            gallery.clear();
        }
        return add.get();
    }

    /** @throws io.grpc.StatusRuntimeException NOT_FOUND if the gallery does not exist or is empty */
    public Gallery existing(String name) {
        Gallery g = galleries.get(resolve(name));
        if (g == null || g.size() == 0) {
            throw Status.NOT_FOUND.withDescription("gallery '" + resolve(name) + "' does not exist or is empty; fill it"
                    + " with AddToGallery").asRuntimeException();
        }
        return g;
    }

    /** The name a request means: its own, or {@value #DEFAULT} when empty. */
    public static String resolve(String name) {
        return name == null || name.isEmpty() ? DEFAULT : name;
    }
}
