package dev.realitycheck.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

class BatchHalvesTest {

    @Test
    void theFirstHalfHoldsTheFirstHalfOfTheRowsAndTheRestTheOthersForEverySize() {
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> batch = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 2)));
            List<Operand<TFloat32>> halves = BatchHalves.split(tf, batch);
            for (int n = 0; n <= 5; n++) {
                float[] values = new float[2 * n];
                for (int i = 0; i < values.length; i++) {
                    values[i] = i;
                }
                try (TFloat32 fed = TFloat32.tensorOf(Shape.of(n, 2),
                        org.tensorflow.ndarray.buffer.DataBuffers.of(values));
                     Result r = session.runner().feed(batch, fed).fetch(halves.get(0)).fetch(halves.get(1)).run()) {
                    TFloat32 first = (TFloat32) r.get(0);
                    TFloat32 rest = (TFloat32) r.get(1);
                    assertThat(first.shape()).isEqualTo(Shape.of(n / 2, 2));
                    assertThat(rest.shape()).isEqualTo(Shape.of(n - n / 2, 2));
                    for (int i = 0; i < n; i++) {
                        TFloat32 half = i < n / 2 ? first : rest;
                        long row = i < n / 2 ? i : i - n / 2;
                        assertThat(half.getFloat(row, 1)).as("n %d row %d", n, i).isEqualTo(2 * i + 1);
                    }
                }
            }
        }
    }

    @Test
    void aVectorOfRowIndicesSplitsTooAndAScalarIsRefused() {
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            List<Operand<TInt32>> halves = BatchHalves.split(tf, tf.constant(new int[] {7, 8, 9}));
            try (Result r = session.runner().fetch(halves.get(0)).fetch(halves.get(1)).run()) {
                assertThat(((TInt32) r.get(0)).getInt(0)).isEqualTo(7);
                assertThat(((TInt32) r.get(1)).shape()).isEqualTo(Shape.of(2));
                assertThat(((TInt32) r.get(1)).getInt(1)).isEqualTo(9);
            }
            assertThatThrownBy(() -> BatchHalves.split(tf, tf.constant(3))).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
