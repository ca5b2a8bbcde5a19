package dev.realitycheck.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class Uint8ValuesTest {

    @Test
    void everyByteBecomesItsUnsignedValueAtAnyOffsetAndLength() {
        byte[] bytes = new byte[300];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 37 + 11); // all 256 values, in no order
        }
        Random random = new Random(17);
        for (int trial = 0; trial < 200; trial++) {
            int from = random.nextInt(40);
            int length = random.nextInt(bytes.length - from + 1);
            int at = random.nextInt(9);
            float[] out = new float[at + length + 3];
            java.util.Arrays.fill(out, -1f);
            Uint8Values.toFloats(bytes, from, out, at, length);
            for (int j = 0; j < length; j++) {
                assertThat(out[at + j]).as("value %d of %d from %d", j, length, from).isEqualTo((float) (bytes[from + j] & 0xFF));
            }
            assertThat(out[at + length]).as("nothing written after the values").isEqualTo(-1f);
            if (at > 0) {
                assertThat(out[at - 1]).as("nothing written before the values").isEqualTo(-1f);
            }
        }
    }

    @Test
    void theTestJvmConvertsWithTheVectorApi() {
        // surefire runs with --add-modules=jdk.incubator.vector, like the services: the fast path is the one tested above
        assertThat(Uint8Values.vectorized()).isTrue();
    }

    @Test
    void outOfRangeIsRefusedBeforeAnythingIsWritten() {
        float[] out = new float[4];
        assertThatThrownBy(() -> Uint8Values.toFloats(new byte[8], 2, out, 0, 7)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Uint8Values.toFloats(new byte[8], 0, out, 1, 4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(out).containsOnly(0f);
    }
}
