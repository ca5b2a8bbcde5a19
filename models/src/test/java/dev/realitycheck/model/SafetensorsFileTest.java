package dev.realitycheck.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The safetensors reader on files laid out byte by byte as the format documents them. */
class SafetensorsFileTest {

    @TempDir
    Path dir;

    private Path file(String header, byte[] data) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json).put(data);
        Path f = dir.resolve("t.safetensors");
        Files.write(f, b.array());
        return f;
    }

    @Test
    void readsF16Bf16AndI64AsFloat32() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(2 * 2 + 2 * 2 + 8).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort(Float.floatToFloat16(1.5f)).putShort(Float.floatToFloat16(-0.25f));
        data.putShort((short) (Float.floatToIntBits(3f) >>> 16)).putShort((short) (Float.floatToIntBits(-2f) >>> 16));
        data.putLong(7);
        Path f = file("""
                {"__metadata__":{"format":"pt"},
                 "half":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},
                 "brain":{"dtype":"BF16","shape":[1,2],"data_offsets":[4,8]},
                 "count":{"dtype":"I64","shape":[],"data_offsets":[8,16]}}""", data.array());

        Map<String, WeightTensor> t = SafetensorsFile.read(f);

        assertThat(t.keySet()).containsExactly("half", "brain", "count");
        assertThat(t.get("half").values()).containsExactly(1.5f, -0.25f);
        assertThat(t.get("brain").shape()).containsExactly(1, 2);
        assertThat(t.get("brain").values()).containsExactly(3f, -2f);
        assertThat(t.get("count").values()).containsExactly(7f);
    }

    @Test
    void writtenF32TensorsReadBackExactly() throws IOException {
        Path f = dir.resolve("w.safetensors");
        SafetensorsFile.write(f, List.of(new WeightTensor("a.weight", List.of(2, 3), new float[] {1, 2, 3, 4, 5, -6}),
                new WeightTensor("b", List.of(1), new float[] {Float.MIN_VALUE})));

        Map<String, WeightTensor> t = SafetensorsFile.read(f);

        assertThat(t.get("a.weight").shape()).containsExactly(2, 3);
        assertThat(t.get("a.weight").values()).containsExactly(1, 2, 3, 4, 5, -6);
        assertThat(t.get("b").values()).containsExactly(Float.MIN_VALUE);
        long headerLength = ByteBuffer.wrap(Files.readAllBytes(f), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(headerLength % 8).isZero();
        assertThat(Files.size(f)).isEqualTo(8 + headerLength + 7 * 4);
    }

    @Test
    void offsetsOutsideTheDataAndUnknownDtypesAreRefusedByName() throws IOException {
        Path outside = file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[8]);
        assertThatThrownBy(() -> SafetensorsFile.read(outside)).isInstanceOf(IOException.class)
                .hasMessageContaining("tensor w: data_offsets [0,16]");
        Path bool = file("{\"m\":{\"dtype\":\"BOOL\",\"shape\":[1],\"data_offsets\":[0,1]}}", new byte[1]);
        assertThatThrownBy(() -> SafetensorsFile.read(bool)).isInstanceOf(IOException.class)
                .hasMessageContaining("tensor m: dtype BOOL is not supported");
    }
}
