package dev.realitycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.data.Npy;
import dev.realitycheck.proto.v1.DenseTensor;
import dev.realitycheck.proto.v1.Embedding;
import dev.realitycheck.proto.v1.Item;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client sends .npy rows in the packed form and reads vectors in either form. */
class EmbeddingClientTest {

    @TempDir
    Path dir;

    @Test
    void npyRowsAreSentAsPackedLittleEndianFloat32() throws Exception {
        Path rows = dir.resolve("rows.npy");
        float[] values = {1.5f, -2f, 3.25f, 1e-7f, Float.MIN_VALUE, 6e10f};
        Npy.writeFloatMatrix(rows, 2, 3, values);

        List<Item> items = EmbeddingClient.items(rows);

        assertThat(items).hasSize(2);
        for (int r = 0; r < 2; r++) {
            DenseTensor t = items.get(r).getTensor();
            assertThat(items.get(r).getId()).isEqualTo(rows + "#" + r);
            assertThat(t.getShapeList()).containsExactly(3L);
            assertThat(t.getValuesCount()).isZero();
            ByteBuffer bytes = t.getFloat32Le().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            assertThat(bytes.remaining()).isEqualTo(12);
            for (int c = 0; c < 3; c++) {
                assertThat(bytes.getFloat()).isEqualTo(values[r * 3 + c]);
            }
        }
    }

    @Test
    void vectorsAreReadFromEitherForm() {
        float[] v = {0.6f, -0.8f, 0f};
        Embedding packed = Embedding.newBuilder().setFloat32Le(EmbeddingClient.pack(v, 0, 3)).build();
        Embedding repeated = Embedding.newBuilder().addValues(0.6f).addValues(-0.8f).addValues(0f).build();

        assertThat(EmbeddingClient.values(packed)).containsExactly(v);
        assertThat(EmbeddingClient.values(repeated)).containsExactly(v);
    }
}
