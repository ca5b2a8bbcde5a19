package dev.realitycheck.knn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RowKernel} on the Vector API: the key transform lane by lane (negate, +0 to merge -0
 * into +0, reinterpret the bits, flip the magnitude of negatives), and the gather as a masked
 * compare and a compress of keys and indices per vector. Tails run the scalar loops.
 */
final class VectorRowKernel implements RowKernel {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final int L = I.length();
    private static final ScalarRowKernel TAIL = new ScalarRowKernel();

    VectorRowKernel() {
        if (F.length() != L) {
            throw new LinkageError("float and int vectors differ in lanes: " + F + ", " + I);
        }
    }

    @Override
    public void sortableKeys(float[] dots, int dotsOff, float[] norms, int normsOff, boolean euclid,
                             int[] keys, int keysOff, int len) {
        int c = 0;
        for (; c + L <= len; c += L) {
            FloatVector score = FloatVector.fromArray(F, dots, dotsOff + c);
            if (euclid) {
                score = score.mul(2f).sub(FloatVector.fromArray(F, norms, normsOff + c));
            }
            IntVector bits = score.neg().add(0f).reinterpretAsInts();
            bits.lanewise(VectorOperators.XOR, bits.lanewise(VectorOperators.ASHR, 31).and(0x7fffffff))
                    .intoArray(keys, keysOff + c);
        }
        if (c < len) { // rare (the last tile of a row): the call itself cost ~2% of a large-k evaluation
            TAIL.sortableKeys(dots, dotsOff + c, norms, normsOff + c, euclid, keys, keysOff + c, len - c);
        }
    }

    @Override
    public int gather(int[] row, int from, int n, int hi, int[] keysOut, int[] indicesOut) {
        return gather(row, from, n, hi, null, 0, keysOut, indicesOut);
    }

    @Override
    public int gatherRelevance(int[] row, int from, int n, int hi, int[] labels, int label, int[] keysOut,
                               int[] flagsOut) {
        return gather(row, from, n, hi, labels, label, keysOut, flagsOut);
    }

    /** Both gathers: with {@code labels} each entry's relevance to {@code payloadOut}, without its index. */
    private static int gather(int[] row, int from, int n, int hi, int[] labels, int label, int[] keysOut,
                              int[] payloadOut) {
        IntVector iota = IntVector.zero(I).addIndex(1);
        IntVector zero = IntVector.zero(I);
        int c = 0;
        int j = 0;
        for (; j + L <= n; j += L) {
            IntVector key = IntVector.fromArray(I, row, from + j);
            VectorMask<Integer> keep = key.compare(VectorOperators.LE, hi);
            key.compress(keep).intoArray(keysOut, c);
            IntVector payload = labels == null ? iota.add(j)
                    : zero.blend(1, IntVector.fromArray(I, labels, j).compare(VectorOperators.EQ, label));
            payload.compress(keep).intoArray(payloadOut, c);
            c += keep.trueCount(); // c <= j: the whole-vector stores end within n
        }
        return ScalarRowKernel.gather(row, from, j, n, hi, labels, label, keysOut, payloadOut, c);
    }

    @Override
    public int rowsAtLeast(float[] tile, int nr, int rows, int len, float[] norms, int normsOff, boolean euclid,
                           float[] thresholds, int thresholdsOff) {
        if (len != nr || nr != 2 * L) { // the last, partial tile of a block, or another tile shape
            return TAIL.rowsAtLeast(tile, nr, rows, len, norms, normsOff, euclid, thresholds, thresholdsOff);
        }
        int mask = 0;
        if (euclid) {
            FloatVector norms0 = FloatVector.fromArray(F, norms, normsOff);
            FloatVector norms1 = FloatVector.fromArray(F, norms, normsOff + L);
            for (int r = 0; r < rows; r++) {
                FloatVector score0 = FloatVector.fromArray(F, tile, r * nr).mul(2f).sub(norms0);
                FloatVector score1 = FloatVector.fromArray(F, tile, r * nr + L).mul(2f).sub(norms1);
                mask |= atLeast(score0, score1, thresholds[thresholdsOff + r]) << r;
            }
        } else {
            for (int r = 0; r < rows; r++) {
                FloatVector score0 = FloatVector.fromArray(F, tile, r * nr);
                FloatVector score1 = FloatVector.fromArray(F, tile, r * nr + L);
                mask |= atLeast(score0, score1, thresholds[thresholdsOff + r]) << r;
            }
        }
        return mask;
    }

    /** 1 when a lane of either vector is at or above the threshold, else 0. */
    private static int atLeast(FloatVector score0, FloatVector score1, float threshold) {
        return score0.compare(VectorOperators.GE, threshold).or(score1.compare(VectorOperators.GE, threshold))
                .anyTrue() ? 1 : 0;
    }
}
