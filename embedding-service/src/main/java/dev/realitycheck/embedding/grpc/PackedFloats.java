package dev.realitycheck.embedding.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.realitycheck.embedding.batching.Vectors;
import java.nio.ByteOrder;

/**
 * The packed vector form of the API ({@code DenseTensor.float32_le}, {@code Embedding.float32_le}):
 * little-endian IEEE-754 float32, 4 bytes per value, converted with NIO bulk copies.
 */
public final class PackedFloats {

    private PackedFloats() {
    }

    /** @return {@code length} values of {@code values} from {@code offset}, packed (one bulk copy, no second copy) */
    public static ByteString pack(float[] values, int offset, int length) {
        // the array is never written again, so the ByteString may wrap it instead of copying it
        return UnsafeByteOperations.unsafeWrap(Vectors.littleEndian(values, offset, length));
    }

    /** @return the values of a packed vector */
    public static float[] unpack(ByteString packed) {
        if (packed.size() % Float.BYTES != 0) {
            throw new IllegalArgumentException("a packed float32 vector needs a multiple of 4 bytes, has " + packed.size());
        }
        float[] values = new float[packed.size() / Float.BYTES];
        packed.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }
}
