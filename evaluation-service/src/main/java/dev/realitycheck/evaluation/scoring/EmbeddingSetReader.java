package dev.realitycheck.evaluation.scoring;

import dev.realitycheck.knn.Embeddings;
import dev.realitycheck.proto.v1.EmbeddingSet;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Validates an {@link EmbeddingSet} from a request and turns it into embeddings and labels; every
 * problem is an {@code INVALID_ARGUMENT} whose message names the field (e.g. {@code queries.values[7]}).
 *
 * @param embeddings the vectors
 * @param labels     one label per row
 */
record EmbeddingSetReader(Embeddings embeddings, int[] labels) {

    static EmbeddingSetReader read(EmbeddingSet set, String field) {
        int dim = set.getDimension();
        if (dim < 1) {
            throw invalid(field + ".dimension must be >= 1, got " + dim);
        }
        int count = set.getValuesCount();
        if (count == 0) {
            throw invalid(field + ".values is empty");
        }
        if (count % dim != 0) {
            throw invalid(field + ".values has " + count + " floats, not a multiple of " + field + ".dimension " + dim);
        }
        int rows = count / dim;
        if (set.getLabelsCount() != rows) {
            throw invalid(field + ".labels has " + set.getLabelsCount() + " entries for " + rows + " rows");
        }
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            float v = set.getValues(i);
            if (!Float.isFinite(v)) {
                throw invalid(field + ".values[" + i + "] is " + v + " (row " + i / dim + ", column " + i % dim + ")");
            }
            values[i] = v;
        }
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            long label = set.getLabels(i);
            if (label != (int) label) {
                throw invalid(field + ".labels[" + i + "] = " + label + " does not fit in 32 bits");
            }
            labels[i] = (int) label;
        }
        return new EmbeddingSetReader(new Embeddings(values, rows, dim), labels);
    }

    static StatusRuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }
}
