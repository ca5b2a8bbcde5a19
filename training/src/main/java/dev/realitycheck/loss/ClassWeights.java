package dev.realitycheck.loss;

import dev.realitycheck.model.Initializer;
import dev.realitycheck.model.VariableSpec;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceMax;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Pieces the classification losses share: their weight matrix ({@code [D, C]}, one column per
 * class, or proxy), the cosine logits, and softmax cross-entropy written with log-sum-exp pieces
 * ({@code SparseSoftmaxCrossEntropyWithLogits} has no gradient in TensorFlow Java 1.1.0).
 */
final class ClassWeights {

    private ClassWeights() {
    }

    /**
     * The spec of a {@code [embeddingSize, numClasses]} weight matrix. Glorot-uniform: PML draws
     * from a normal (or Kaiming normal for proxies), but every loss here normalises the columns, so
     * only directions matter, and both draw directions uniformly enough for a start.
     */
    static VariableSpec spec(String name, int embeddingSize, int numClasses) {
        if (embeddingSize <= 0) {
            throw new IllegalArgumentException("embeddingSize must be positive, was " + embeddingSize);
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses must be at least 2, was " + numClasses);
        }
        return new VariableSpec(name, List.of(embeddingSize, numClasses), Initializer.GLOROT_UNIFORM);
    }

    /** The named parameter, or a clear error when the trainer did not pass it. */
    static Operand<TFloat32> get(Map<String, ? extends Operand<TFloat32>> parameters, VariableSpec spec) {
        Operand<TFloat32> w = parameters.get(spec.name());
        if (w == null) {
            throw new IllegalArgumentException("missing loss parameter " + spec.name() + " " + spec.shape()
                    + "; got " + parameters.keySet());
        }
        return w;
    }

    /** {@code [B, C]} cosine between each embedding and each column of {@code weights}. */
    static Operand<TFloat32> cosine(Ops tf, Operand<TFloat32> embeddings, Operand<TFloat32> weights) {
        return tf.linalg.matMul(normalize(tf, embeddings, 1), normalize(tf, weights, 0));
    }

    /** Divides by the L2 norm along {@code axis}, at least {@code 1e-12} (torch's normalize). */
    static Operand<TFloat32> normalize(Ops tf, Operand<TFloat32> x, int axis) {
        Operand<TFloat32> squared = tf.reduceSum(tf.math.square(x), tf.constant(axis), ReduceSum.keepDims(true));
        return tf.math.mul(x, tf.math.rsqrt(tf.math.maximum(squared, tf.constant(1e-24f))));
    }

    /** {@code [B, C]}: 1 in each row's label column. */
    static Operand<TFloat32> oneHot(Ops tf, Operand<TInt32> labels, int numClasses) {
        return tf.oneHot(labels, tf.constant(numClasses), tf.constant(1f), tf.constant(0f));
    }

    /** Per row, {@code logsumexp(logits) - logits[label]}: softmax cross-entropy, {@code [B]}. */
    static Operand<TFloat32> crossEntropy(Ops tf, Operand<TFloat32> logits, Operand<TFloat32> oneHot) {
        Operand<TFloat32> max = tf.stopGradient(tf.reduceMax(logits, tf.constant(1), ReduceMax.keepDims(true)));
        Operand<TFloat32> sum = tf.reduceSum(tf.math.exp(tf.math.sub(logits, max)), tf.constant(1));
        Operand<TFloat32> logSumExp = tf.math.add(tf.math.log(sum), tf.reshape(max, tf.constant(new int[] {-1})));
        Operand<TFloat32> target = tf.reduceSum(tf.math.mul(logits, oneHot), tf.constant(1));
        return tf.math.sub(logSumExp, target);
    }
}
