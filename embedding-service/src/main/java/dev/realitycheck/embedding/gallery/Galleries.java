package dev.realitycheck.embedding.gallery;

import io.grpc.Status;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

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
