package dev.realitycheck.embedding.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realitycheck.embedding.grpc.PackedFloats;
import org.junit.jupiter.api.Test;

/** A batch's packed output and the views of it that requests and response items get. */
class VectorsTest {

    private static final float[] BATCH = {1, -2, 3.5f, Float.MIN_VALUE, -0.0f, 6, 7, 8};

    @Test
    void aRequestsRowsAndEachRowAreViewsOfTheBatchWithItsValues() {
        Vectors batch = Vectors.pack(BATCH, 4);
        assertThat(batch.width()).isEqualTo(2);
        Vectors mine = batch.rows(1, 2);
        assertThat(mine.littleEndian()).as("a view, not a copy").isSameAs(batch.littleEndian());
        assertThat(mine.toFloats()).containsExactly(3.5f, Float.MIN_VALUE, -0.0f, 6);
        assertThat(mine.value(3)).isEqualTo(6f);
        assertThat(mine.value(2)).isEqualTo(-0.0f);
        // each row is the API's packed form of that vector, byte for byte
        assertThat(mine.row(1)).isEqualTo(PackedFloats.pack(BATCH, 4, 2));
        assertThat(PackedFloats.unpack(mine.row(0))).containsExactly(3.5f, Float.MIN_VALUE);
    }

    @Test
    void indicesOutsideTheViewAreRefused() {
        Vectors mine = Vectors.pack(BATCH, 4).rows(2, 1);
        assertThatThrownBy(() -> mine.value(2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> mine.row(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> mine.rows(0, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new Vectors(new byte[8], 4, 1, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Vectors.pack(new float[5], 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
