package dev.realitycheck.model;

import java.util.Objects;

/**
 * What a consumer needs to know about a checkpoint model without opening it, as the Kafka
 * manifest carries it: the input of one item (shape and preprocessing) and the size of the
 * L2-normalised embedding it produces.
 *
 * @param input         the input shape without the batch dimension, and its preprocessing
 * @param embeddingSize the number of components of an embedding; positive
 */
public record ModelSpec(InputSpec input, int embeddingSize) {

    /** Validates the components. */
    public ModelSpec {
        Objects.requireNonNull(input, "input");
        if (embeddingSize <= 0) {
            throw new IllegalArgumentException("embeddingSize must be positive, was " + embeddingSize);
        }
    }
}
