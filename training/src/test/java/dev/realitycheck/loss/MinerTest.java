package dev.realitycheck.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realitycheck.loss.distance.CosineSimilarity;
import dev.realitycheck.loss.distance.Distance;
import dev.realitycheck.loss.distance.LpDistance;
import dev.realitycheck.loss.miner.BatchHardMiner;
import dev.realitycheck.loss.miner.MultiSimilarityMiner;
import dev.realitycheck.loss.miner.PairMarginMiner;
import dev.realitycheck.loss.miner.TripletMarginMiner;
import dev.realitycheck.loss.miner.TripletMarginMiner.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each miner against a naive selection over the naive distance matrices of {@link Naive}. */
class MinerTest {

    static final int DIM = 4;
    static final int[] LABELS = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 1};

    static float[] embeddings(long seed) {
        return LossHarness.gaussian(seed, LABELS.length * DIM);
    }

    static List<String> triplets(Triplets t) {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < t.size(); k++) {
            out.add(t.a()[k] + "," + t.p()[k] + "," + t.n()[k]);
        }
        return out;
    }

    static List<String> pairs(int[] a, int[] b) {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < a.length; k++) {
            out.add(a[k] + "," + b[k]);
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void tripletMarginMinerSelectsWhatTheNaiveLoopSelects(Type type) {
        for (long seed = 1; seed <= 5; seed++) {
            float[] x = embeddings(seed);
            double[][] d = Naive.euclidean(LossHarness.toDouble(x), DIM);
            List<String> expected = new ArrayList<>();
            for (int a = 0; a < LABELS.length; a++) {
                for (int p = 0; p < LABELS.length; p++) {
                    for (int n = 0; n < LABELS.length; n++) {
                        if (p == a || LABELS[p] != LABELS[a] || LABELS[n] == LABELS[a]) {
                            continue;
                        }
                        double m = d[a][n] - d[a][p];
                        boolean keep = switch (type) {
                            case ALL -> m <= 0.2;
                            case HARD -> m <= 0;
                            case SEMIHARD -> m > 0 && m <= 0.2;
                            case EASY -> m > 0.2;
                        };
                        if (keep) {
                            expected.add(a + "," + p + "," + n);
                        }
                    }
                }
            }
            assertThat(triplets(new TripletMarginMiner(type).mine(x, DIM, LABELS))).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void tripletMarginMinerWithASimilarityMirrorsTheMargin() {
        float[] x = embeddings(8);
        double[][] s = Naive.cosine(LossHarness.toDouble(x), DIM);
        List<String> expected = new ArrayList<>();
        for (int a = 0; a < LABELS.length; a++) {
            for (int p = 0; p < LABELS.length; p++) {
                for (int n = 0; n < LABELS.length; n++) {
                    if (p != a && LABELS[p] == LABELS[a] && LABELS[n] != LABELS[a]) {
                        double m = s[a][p] - s[a][n];
                        if (m > 0 && m <= 0.3) {
                            expected.add(a + "," + p + "," + n);
                        }
                    }
                }
            }
        }
        assertThat(expected).isNotEmpty();
        assertThat(triplets(new TripletMarginMiner(0.3, Type.SEMIHARD, new CosineSimilarity()).mine(x, DIM, LABELS)))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void tripletMarginMinerTypesPartitionTheBatch() {
        float[] x = embeddings(42);
        Set<String> hard = new HashSet<>(triplets(new TripletMarginMiner(Type.HARD).mine(x, DIM, LABELS)));
        Set<String> semi = new HashSet<>(triplets(new TripletMarginMiner(Type.SEMIHARD).mine(x, DIM, LABELS)));
        Set<String> easy = new HashSet<>(triplets(new TripletMarginMiner(Type.EASY).mine(x, DIM, LABELS)));
        Set<String> all = new HashSet<>(triplets(new TripletMarginMiner(Type.ALL).mine(x, DIM, LABELS)));
        assertThat(hard).isNotEmpty().doesNotContainAnyElementsOf(semi);
        assertThat(semi).isNotEmpty();
        Set<String> union = new HashSet<>(hard);
        union.addAll(semi);
        assertThat(all).isEqualTo(union);
        assertThat(all).doesNotContainAnyElementsOf(easy);
        // every triplet of the batch is either within the margin or easy
        int classSizes = 0;
        for (int a = 0; a < LABELS.length; a++) {
            int same = 0;
            for (int l : LABELS) {
                same += l == LABELS[a] ? 1 : 0;
            }
            classSizes += (same - 1) * (LABELS.length - same);
        }
        assertThat(all.size() + easy.size()).isEqualTo(classSizes);
    }

    @Test
    void batchHardMinerTakesTheFarthestPositiveAndClosestNegativePerAnchor() {
        for (long seed = 1; seed <= 5; seed++) {
            float[] x = embeddings(seed);
            double[][] d = Naive.euclidean(LossHarness.toDouble(x), DIM);
            List<String> expected = new ArrayList<>();
            for (int a = 0; a < LABELS.length; a++) {
                int p = -1;
                int n = -1;
                for (int j = 0; j < LABELS.length; j++) {
                    if (j != a && LABELS[j] == LABELS[a] && (p < 0 || d[a][j] > d[a][p])) {
                        p = j;
                    }
                    if (LABELS[j] != LABELS[a] && (n < 0 || d[a][j] < d[a][n])) {
                        n = j;
                    }
                }
                expected.add(a + "," + p + "," + n);
            }
            assertThat(triplets(new BatchHardMiner().mine(x, DIM, LABELS))).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void batchHardMinerSkipsAnchorsWithoutAPositive() {
        // 1-D points on the unit circle (normalised 2-D): labels 0,0,1 and a lone 2
        float[] x = {1, 0, 0.8f, 0.6f, 0, 1, -1, 0};
        Triplets t = new BatchHardMiner().mine(x, 2, new int[] {0, 0, 1, 2});
        assertThat(triplets(t)).containsExactly("0,1,2", "1,0,2");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void pairMarginMinerKeepsViolatingPairs(boolean cosine) {
        Distance distance = cosine ? new CosineSimilarity() : new LpDistance();
        double posMargin = cosine ? 0.3 : 0.9;
        double negMargin = cosine ? -0.2 : 1.3;
        float[] x = embeddings(7);
        double[][] d = cosine ? Naive.cosine(LossHarness.toDouble(x), DIM) : Naive.euclidean(LossHarness.toDouble(x), DIM);
        List<String> positives = new ArrayList<>();
        List<String> negatives = new ArrayList<>();
        for (int i = 0; i < LABELS.length; i++) {
            for (int j = 0; j < LABELS.length; j++) {
                if (i != j && LABELS[i] == LABELS[j] && (cosine ? d[i][j] < posMargin : d[i][j] > posMargin)) {
                    positives.add(i + "," + j);
                }
                if (LABELS[i] != LABELS[j] && (cosine ? d[i][j] > negMargin : d[i][j] < negMargin)) {
                    negatives.add(i + "," + j);
                }
            }
        }
        Pairs mined = new PairMarginMiner(posMargin, negMargin, distance).mine(x, DIM, LABELS);
        assertThat(positives).isNotEmpty();
        assertThat(negatives).isNotEmpty();
        assertThat(pairs(mined.a1(), mined.p())).containsExactlyElementsOf(positives);
        assertThat(pairs(mined.a2(), mined.n())).containsExactlyElementsOf(negatives);
    }

    /** PML's formulation: sort each row with the ignored entries set to ±infinity, compare with the extreme. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void multiSimilarityMinerMatchesPmlsSortedFormulation(boolean cosine) {
        Distance distance = cosine ? new CosineSimilarity() : new LpDistance();
        for (long seed = 1; seed <= 5; seed++) {
            float[] x = embeddings(seed);
            double[][] m = cosine ? Naive.cosine(LossHarness.toDouble(x), DIM)
                    : Naive.euclidean(LossHarness.toDouble(x), DIM);
            double eps = 0.1;
            Set<String> positives = new HashSet<>();
            Set<String> negatives = new HashSet<>();
            int b = LABELS.length;
            for (int i = 0; i < b; i++) {
                double[] posRow = new double[b];
                double[] negRow = new double[b];
                for (int j = 0; j < b; j++) {
                    boolean pos = j != i && LABELS[j] == LABELS[i];
                    boolean neg = LABELS[j] != LABELS[i];
                    posRow[j] = pos ? m[i][j] : (cosine ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY);
                    negRow[j] = neg ? m[i][j] : (cosine ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
                }
                double[] posSorted = posRow.clone();
                double[] negSorted = negRow.clone();
                Arrays.sort(posSorted);
                Arrays.sort(negSorted);
                for (int j = 0; j < b; j++) {
                    boolean keepPos = cosine ? posRow[j] - eps < negSorted[b - 1] : posRow[j] + eps > negSorted[0];
                    boolean keepNeg = cosine ? negRow[j] + eps > posSorted[0] : negRow[j] - eps < posSorted[b - 1];
                    if (keepPos) {
                        positives.add(i + "," + j);
                    }
                    if (keepNeg) {
                        negatives.add(i + "," + j);
                    }
                }
            }
            Pairs mined = new MultiSimilarityMiner(0.1, distance).mine(x, DIM, LABELS);
            assertThat(new HashSet<>(pairs(mined.a1(), mined.p()))).isEqualTo(positives);
            assertThat(new HashSet<>(pairs(mined.a2(), mined.n()))).isEqualTo(negatives);
        }
    }

    @Test
    void minedTuplesFeedALoss() {
        float[] x = embeddings(3);
        Triplets mined = new TripletMarginMiner(Type.SEMIHARD).mine(x, DIM, LABELS);
        assertThat(mined.size()).isPositive();
        double[][] d = Naive.euclidean(LossHarness.toDouble(x), DIM);
        List<Double> losses = new ArrayList<>();
        for (int k = 0; k < mined.size(); k++) {
            losses.add(Naive.relu(d[mined.a()[k]][mined.p()[k]] - d[mined.a()[k]][mined.n()[k]] + 0.05));
        }
        var result = LossHarness.evaluate(x, DIM, (tf, e, p) ->
                new TripletMarginLoss().build(tf, e, tf.constant(LABELS), mined.constants(tf)));
        assertThat(result.value()).isCloseTo(Naive.avgNonZero(losses), org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void rejectsMismatchedLabelsAndBadSettings() {
        assertThatThrownBy(() -> new BatchHardMiner().mine(new float[8], 4, new int[] {0, 1, 2}))
                .hasMessageContaining("labels has 3 entries for a batch of 2");
        assertThatThrownBy(() -> new TripletMarginMiner(Double.NaN, Type.ALL, new LpDistance()))
                .hasMessageContaining("margin").hasMessageContaining("NaN");
        assertThatThrownBy(() -> new Triplets(new int[] {0}, new int[] {1, 2}, new int[] {3}))
                .hasMessageContaining("a has 1 indices but p has 2");
        assertThatThrownBy(() -> new Pairs(new int[] {-1}, new int[] {1}, new int[0], new int[0]))
                .hasMessageContaining("negative: -1");
    }

    @Test
    void catalogHasPmlDefaultsAndNamesBadFields() {
        assertThat(dev.realitycheck.loss.miner.MinerCatalog.names()).containsExactly("batch_hard", "multi_similarity",
                "pair_margin", "triplet_margin_all", "triplet_margin_easy", "triplet_margin_hard",
                "triplet_margin_semihard");
        assertThat(dev.realitycheck.loss.miner.MinerCatalog.create("triplet_margin_semihard", java.util.Map.of()))
                .isEqualTo(new TripletMarginMiner(Type.SEMIHARD));
        assertThat(dev.realitycheck.loss.miner.MinerCatalog.create("multi_similarity", java.util.Map.of()))
                .isEqualTo(new MultiSimilarityMiner());
        assertThat(dev.realitycheck.loss.miner.MinerCatalog.create("pair_margin", java.util.Map.of("neg_margin", 0.5)))
                .isEqualTo(new PairMarginMiner(0.2, 0.5, new LpDistance()));
        assertThatThrownBy(() -> dev.realitycheck.loss.miner.MinerCatalog.create("random", java.util.Map.of()))
                .hasMessageContaining("unknown miner 'random'");
        assertThatThrownBy(() -> dev.realitycheck.loss.miner.MinerCatalog.create("batch_hard",
                java.util.Map.of("margin", 1.0))).hasMessageContaining("no hyperparameter margin");
        assertThatThrownBy(() -> dev.realitycheck.loss.miner.MinerCatalog.create("multi_similarity",
                java.util.Map.of("epsilon", Double.NaN))).hasMessageContaining("multi_similarity: epsilon must be finite");
    }
}
