/**
 * The loss zoo, composed like pytorch-metric-learning (PML), with PML's default hyperparameters.
 *
 * <ul>
 *   <li>{@link dev.realitycheck.loss.distance.Distance}: the batch's {@code [B, B]} distance or
 *       similarity matrix, as graph ops and in plain Java.</li>
 *   <li>{@link dev.realitycheck.loss.reducer.Reducer}: per-element losses to a scalar.</li>
 *   <li>{@link dev.realitycheck.loss.miner.Miner}: plain-Java selection of {@link dev.realitycheck.loss.Pairs}
 *       or {@link dev.realitycheck.loss.Triplets} from labels and current embeddings (not differentiated).</li>
 *   <li>{@link dev.realitycheck.loss.Loss}: the graph of the loss; mined tuples arrive as
 *       {@link dev.realitycheck.loss.TupleIndices} (constants or fed placeholders), read with
 *       {@code GatherV2}; without a miner every pair/triplet of the batch is used.</li>
 * </ul>
 *
 * <p>TensorFlow Java 1.1.0 gradient traps met here: {@code OnesLike} has no gradient and the C++
 * gradient builder fails on it even behind a {@code StopGradient} when it is downstream of the
 * embeddings (use {@code zerosLike(x) + 1}); comparisons, {@code Where} and {@code ScatterNd} are
 * only used on labels and indices; masked entries never reach an {@code exp} (selected away before
 * it), so no {@code 0 * inf} NaN enters the gradient.
 */
package dev.realitycheck.loss;
