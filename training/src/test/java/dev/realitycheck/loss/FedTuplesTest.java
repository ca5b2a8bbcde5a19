package dev.realitycheck.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.realitycheck.loss.miner.Miner;
import dev.realitycheck.loss.miner.MultiSimilarityMiner;
import dev.realitycheck.loss.miner.PairMarginMiner;
import dev.realitycheck.loss.miner.TripletMarginMiner;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The trainer's path: one graph with placeholders for embeddings, labels and mined tuples, run on
 * several batches, each mined in plain Java and fed; every run must equal the loss built with the
 * tuples as constants.
 */
class FedTuplesTest {

    static final int D = 4;

    static double constantGraph(Loss loss, float[] x, int[] labels, Tuples mined) {
        return LossHarness.evaluate(x, D, (tf, e, p) -> loss.build(tf, e, tf.constant(labels), mined.constants(tf)))
                .value();
    }

    void check(Loss loss, Miner miner, Class<? extends Tuples> kind) {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, D)));
            Placeholder<TInt32> labels = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
            TupleIndices.Placeholders mined = TupleIndices.placeholders(tf, kind, "mined");
            Operand<TFloat32> value = loss.build(tf, x, labels, mined.indices());
            try (Session session = new Session(graph)) {
                for (int batch = 0; batch < 3; batch++) {
                    int[] y = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2};
                    float[] embeddings = LossHarness.gaussian(100 + batch, y.length * D);
                    Tuples tuples = miner.mine(embeddings, D, y);
                    Session.Runner runner = session.runner();
                    try (TFloat32 xt = TFloat32.tensorOf(Shape.of(y.length, D), DataBuffers.of(embeddings, true, false));
                         TInt32 yt = TInt32.vectorOf(y)) {
                        runner.feed(x, xt).feed(labels, yt);
                        List<Tensor> fed = mined.feed(runner, tuples);
                        try (Result result = runner.fetch(value).run()) {
                            double actual = ((TFloat32) result.get(0)).getFloat();
                            assertThat(actual).as("batch %d", batch)
                                    .isCloseTo(constantGraph(loss, embeddings, y, tuples), within(1e-6));
                        } finally {
                            fed.forEach(Tensor::close);
                        }
                    }
                }
            }
        }
    }

    @Test
    void tripletLossWithASemihardMiner() {
        check(new TripletMarginLoss(), new TripletMarginMiner(TripletMarginMiner.Type.SEMIHARD), Triplets.class);
    }

    @Test
    void multiSimilarityLossWithItsMiner() {
        check(new MultiSimilarityLoss(), new MultiSimilarityMiner(), Pairs.class);
    }

    @Test
    void contrastiveLossWithAPairMarginMiner() {
        check(new ContrastiveLoss(), new PairMarginMiner(), Pairs.class);
    }

    @Test
    void feedingTheWrongKindIsRefused() {
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            TupleIndices.Placeholders mined = TupleIndices.placeholders(tf, Triplets.class, "mined");
            assertThatThrownBy(() -> mined.feed(session.runner(), new Pairs(new int[0], new int[0], new int[0],
                    new int[0]))).hasMessageContaining("3-part tuples, got Pairs");
        }
    }
}
