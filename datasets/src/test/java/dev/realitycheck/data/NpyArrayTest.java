package dev.realitycheck.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class NpyArrayTest {

    @Test
    void rejectsDataOfTheWrongLengthNamingBoth() {
        assertThatThrownBy(() -> new NpyArray(new long[] {3, 2}, NpyDtype.FLOAT32, ByteBuffer.allocate(20)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shape (3, 2) of '<f4' needs 24 bytes, data has 20");
    }

    @Test
    void rejectsRanksOtherThanOneAndTwo() {
        assertThatThrownBy(() -> new NpyArray(new long[] {1, 1, 1}, NpyDtype.FLOAT32, ByteBuffer.allocate(4)))
                .hasMessage("rank must be 1 or 2, got 3 (shape (1, 1, 1))");
    }

    @Test
    void rejectsNegativeDimensions() {
        assertThatThrownBy(() -> new NpyArray(new long[] {-1}, NpyDtype.INT64, ByteBuffer.allocate(0)))
                .hasMessage("dimension 0 of shape (-1,) is negative: -1");
    }

    @Test
    void keepsItsOwnCopyOfTheShape() {
        long[] shape = {2};
        NpyArray array = new NpyArray(shape, NpyDtype.INT64, ByteBuffer.allocate(16));

        shape[0] = 99;
        array.shape()[0] = 98;

        assertThat(array.shape()).containsExactly(2);
    }

    @Test
    void exposesDataReadOnly() {
        NpyArray array = NpyArray.ofLabels(new int[] {1, 2});

        assertThat(array.data().isReadOnly()).isTrue();
        assertThat(array.data().asIntBuffer().get(1)).isEqualTo(2);
    }

    @Test
    void convertsLabelsBetweenWidths() {
        assertThat(NpyArray.ofLabels(new long[] {5, -1}).asLabels()).containsExactly(5, -1);
        assertThat(NpyArray.ofLabels(new int[] {5, -1}).asLongLabels()).containsExactly(5L, -1L);
    }

    @Test
    void refusesTypedViewsThatDoNotFit() {
        NpyArray labels = NpyArray.ofLabels(new int[] {1});
        NpyArray matrix = NpyArray.ofFloatMatrix(1, 1, new float[] {1});

        assertThatThrownBy(labels::asFloatMatrix).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs a 2-D array, found shape (1,)");
        assertThatThrownBy(matrix::asLabels).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("labels need a 1-D array, found shape (1, 1)");
        assertThatThrownBy(labels::cols).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void comparesByShapeTypeAndContents() {
        assertThat(NpyArray.ofLabels(new int[] {1, 2})).isEqualTo(NpyArray.ofLabels(new int[] {1, 2}))
                .hasSameHashCodeAs(NpyArray.ofLabels(new int[] {1, 2}))
                .isNotEqualTo(NpyArray.ofLabels(new long[] {1, 2}))
                .hasToString("NpyArray[shape=(2,), dtype='<i4']");
    }
}
