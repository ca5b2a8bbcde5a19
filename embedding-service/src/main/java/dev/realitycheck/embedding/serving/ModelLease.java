package dev.realitycheck.embedding.serving;

import dev.realitycheck.embedding.batching.MicroBatcher;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request's hold on one {@link LoadedModel}: the model stays open until every lease on it is
 * closed, even if the registry swaps or evicts it meanwhile. Close exactly once (extra closes are ignored).
 */
public final class ModelLease implements AutoCloseable {

    private final LoadedModel model;
    private final AtomicBoolean closed = new AtomicBoolean();

    ModelLease(LoadedModel model) {
        this.model = model;
    }

    public LoadedModel model() {
        return model;
    }

    /** Embeds {@code count} items with this lease's model (see {@code SavedModelEmbedder.embed}). */
    public float[] embed(float[] inputs, int count) {
        return model.embedder().embed(inputs, count);
    }

    /** Embeds a micro-batch, its requests' inputs written straight into the model's input tensor. */
    public float[] embed(MicroBatcher.Inputs inputs, int count) {
        return model.embedder().embed(count, inputs::writeTo);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            model.release();
        }
    }
}
