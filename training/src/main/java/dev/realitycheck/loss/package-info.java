/**
 * The loss zoo, composed like pytorch-metric-learning (PML), with PML's default hyperparameters.
 *
 * <ul>
 *   <li>{@link dev.realitycheck.loss.distance.Distance}: the batch's {@code [B, B]} distance or
 *       similarity matrix, as graph ops and in plain Java (Lp, cosine, dot product, SNR).</li>
 *   <li>{@link dev.realitycheck.loss.reducer.Reducer}: per-element losses to a scalar (mean,
 *       average over non-zero, divisor, threshold).</li>
 *   <li>{@link dev.realitycheck.loss.miner.Miner}: plain-Java selection of {@link dev.realitycheck.loss.Pairs}
 *       or {@link dev.realitycheck.loss.Triplets} from labels and current embeddings (not
 *       differentiated); by name in {@link dev.realitycheck.loss.miner.MinerCatalog}.</li>
 *   <li>{@link dev.realitycheck.loss.Loss}: the graph of the loss. Mined tuples arrive as
 *       {@link dev.realitycheck.loss.TupleIndices} (constants, or placeholders a trainer feeds every
 *       step) and are read with {@code GatherV2}; without a miner every pair/triplet of the batch is
 *       used. Embedding losses: contrastive, triplet margin, NT-Xent, multi-similarity, margin
 *       (learnable β), SNR contrastive, FastAP. Classification losses with their own parameters
 *       ({@link dev.realitycheck.loss.Loss#parameters()}): normalised softmax, CosFace, ArcFace,
 *       ProxyNCA, Proxy-Anchor, SoftTriple. By name in {@link dev.realitycheck.loss.LossCatalog}.</li>
 * </ul>
 *
 * <p>TensorFlow Java 1.1.0 gradient traps met here: {@code OnesLike} has no gradient, and the C++
 * gradient builder fails on it whenever it is downstream of the differentiated input, even behind
 * a {@code StopGradient} (write {@code zerosLike(x) + 1}); comparisons, {@code Where} and
 * {@code ScatterNd} are only applied to labels and indices; masked entries never reach an
 * {@code exp} or a {@code sqrt} (selected away before it), so no {@code 0 * inf} NaN enters the
 * gradient; softmax cross-entropy is log-sum-exp minus the target logit, since
 * {@code SparseSoftmaxCrossEntropyWithLogits} has no gradient.
 */
package dev.realitycheck.loss;
