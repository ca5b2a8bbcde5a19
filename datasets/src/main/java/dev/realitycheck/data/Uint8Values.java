package dev.realitycheck.data;

import dev.realitycheck.knn.VectorApi;
import java.util.Objects;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Unsigned bytes as the floats 0-255: the embedding service's {@code uint8} form of the API
 * ({@code DenseTensor.uint8}, one byte per value) and raw pixels ({@link LabeledImages#rawImages}: the
 * trainer's batches, the embedding service's dataset galleries) become an input tensor's floats here. {@link #toFloats} converts with the Vector API when
 * {@link VectorApi} finds the {@code jdk.incubator.vector} module (every JVM of the project runs with
 * {@code --add-modules=jdk.incubator.vector}), else one value at a time: C2 does not vectorize
 * {@code out[j] = bytes[j] & 0xFF}, which took 20-30 us per 64 items of 28x28 against 2-4 us with the
 * Vector API (docs/benchmarks.md, "Embedding service"). Both give the same floats: every byte is an exact float.
 */
public final class Uint8Values {

    /** Whether the Vector API is there and wide enough (8 floats or more per vector). */
    private static final boolean VECTOR = VectorApi.orElse(() -> Lanes.usable(), () -> false);

    private Uint8Values() {
    }

    /** Writes {@code out[at + j] = bytes[from + j] & 0xFF} for {@code j < length}. */
    public static void toFloats(byte[] bytes, int from, float[] out, int at, int length) {
        Objects.checkFromIndexSize(from, length, bytes.length);
        Objects.checkFromIndexSize(at, length, out.length);
        int done = VECTOR ? Lanes.toFloats(bytes, from, out, at, length) : 0;
        for (int j = done; j < length; j++) {
            out[at + j] = bytes[from + j] & 0xFF;
        }
    }

    /** @return whether the conversion runs on the Vector API in this JVM */
    static boolean vectorized() {
        return VECTOR;
    }

    /** The Vector API part, loaded only when its module is present. */
    private static final class Lanes {

        private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
        /** Ints of the floats' shape. */
        private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
        /** As many bytes as there are floats in a vector; null when that is under 8 (no such vector shape). */
        private static final VectorSpecies<Byte> BYTES = FLOATS.length() >= 8
                ? VectorSpecies.of(byte.class, VectorShape.forBitSize(FLOATS.length() * Byte.SIZE)) : null;

        static boolean usable() {
            return BYTES != null && INTS.length() == FLOATS.length();
        }

        /** Converts whole vectors of values; @return how many values it converted (the rest is the caller's) */
        static int toFloats(byte[] bytes, int from, float[] out, int at, int length) {
            int lanes = FLOATS.length();
            int j = 0;
            for (; j <= length - lanes; j += lanes) {
                ((FloatVector) ByteVector.fromArray(BYTES, bytes, from + j)
                        .convertShape(VectorOperators.ZERO_EXTEND_B2I, INTS, 0)
                        .convertShape(VectorOperators.I2F, FLOATS, 0))
                        .intoArray(out, at + j);
            }
            return j;
        }
    }
}
