package dev.realitycheck.model;

import java.util.SequencedMap;

/**
 * An {@link Architecture} whose trunk published weights fit: it names, per variable, the tensor of
 * a weight file that holds it ({@link PretrainedWeights} reads them strictly). The embedder
 * ({@code embedder_*}) is new and never in the file.
 */
public interface PretrainedTrunk {

    /** @return per trunk variable (every variable but the embedder's), its tensor in a weight file */
    SequencedMap<String, WeightSource> weightSources();

    /**
     * @param tensor a tensor name of a weight file
     * @return whether the file may hold it without the trunk using it (a classifier head,
     *         PyTorch's {@code num_batches_tracked})
     */
    boolean ignores(String tensor);
}
