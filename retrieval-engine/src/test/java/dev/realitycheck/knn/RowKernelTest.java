package dev.realitycheck.knn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RowKernelTest {

    private final RowKernel scalar = new ScalarRowKernel();
    private final RowKernel best = RowKernel.best();

    @Test
    void theBestKernelIsTheVectorOneWhenTheModuleIsThere() {
        boolean module = VectorApi.present();
        assertThat(best instanceof VectorRowKernel).isEqualTo(module);
    }

    @Test
    void sortableKeysAreBitIdenticalIncludingZerosAndTails() {
        Random random = new Random(2);
        for (boolean euclid : new boolean[] {false, true}) {
            for (int len : new int[] {0, 1, 7, 16, 31, 32, 33, 100}) {
                float[] dots = new float[len + 3];
                float[] norms = new float[len + 5];
                for (int i = 0; i < dots.length; i++) {
                    dots[i] = switch (random.nextInt(5)) {
                        case 0 -> 0f;
                        case 1 -> -0f;
                        case 2 -> (float) random.nextGaussian() * 1e-38f;
                        default -> (float) random.nextGaussian();
                    };
                }
                for (int i = 0; i < norms.length; i++) {
                    norms[i] = random.nextInt(4) == 0 ? 2 * dots[Math.min(i, dots.length - 1)] : random.nextFloat();
                }
                int[] a = new int[len + 4];
                int[] b = new int[len + 4];
                scalar.sortableKeys(dots, 3, norms, 2, euclid, a, 1, len);
                best.sortableKeys(dots, 3, norms, 2, euclid, b, 1, len);
                assertThat(b).as("euclid=%s len=%d", euclid, len).containsExactly(a);
                for (int c = 0; c < len; c++) {
                    float score = euclid ? 2 * dots[3 + c] - norms[2 + c] : dots[3 + c];
                    assertThat(a[1 + c]).isEqualTo(NeighbourHeaps.sortable(score));
                }
            }
        }
    }

    /** Keys in -10..10: thresholds between, below and above them all; many ties. */
    private static int[] smallKeys(Random random, int length) {
        int[] row = new int[length];
        for (int i = 0; i < length; i++) {
            row[i] = random.nextInt(21) - 10;
        }
        return row;
    }

    @Test
    void gatherKeepsExactlyTheKeysAtOrBelowTheThresholdInIndexOrder() {
        Random random = new Random(4);
        for (int n : new int[] {0, 1, 15, 16, 17, 64, 1000}) {
            int[] row = smallKeys(random, n + 6);
            for (int hi : new int[] {Integer.MIN_VALUE, -11, -3, 0, 10, Integer.MAX_VALUE}) {
                int[] keys = new int[n];
                int[] indices = new int[n];
                int count = best.gather(row, 5, n, hi, keys, indices);
                int expected = 0;
                for (int j = 0; j < n; j++) {
                    if (row[5 + j] <= hi) {
                        assertThat(keys[expected]).isEqualTo(row[5 + j]);
                        assertThat(indices[expected]).isEqualTo(j);
                        expected++;
                    }
                }
                assertThat(count).as("n=%d hi=%d", n, hi).isEqualTo(expected);
                assertThat(scalar.gather(row, 5, n, hi, new int[n], new int[n])).isEqualTo(expected);
            }
        }
    }

    @Test
    void gatherRelevanceKeepsTheSameEntriesWithTheirRelevanceInsteadOfTheirIndex() {
        Random random = new Random(9);
        for (int n : new int[] {0, 1, 15, 16, 17, 64, 1000}) {
            int[] row = smallKeys(random, n + 6);
            int[] labels = new int[n + 2]; // longer than n: only the first n are read
            for (int j = 0; j < labels.length; j++) {
                labels[j] = random.nextInt(3);
            }
            for (int hi : new int[] {Integer.MIN_VALUE, -11, -3, 0, 10, Integer.MAX_VALUE}) {
                for (RowKernel kernel : new RowKernel[] {scalar, best}) {
                    int[] keys = new int[n];
                    int[] flags = new int[n];
                    int count = kernel.gatherRelevance(row, 5, n, hi, labels, 1, keys, flags);
                    int expected = 0;
                    for (int j = 0; j < n; j++) {
                        if (row[5 + j] <= hi) {
                            assertThat(keys[expected]).isEqualTo(row[5 + j]);
                            assertThat(flags[expected]).as("%s n=%d hi=%d entry %d", kernel, n, hi, j)
                                    .isEqualTo(labels[j] == 1 ? 1 : 0);
                            expected++;
                        }
                    }
                    assertThat(count).as("%s n=%d hi=%d", kernel, n, hi).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void rowsAtLeastFlagsExactlyTheRowsWithAScoreAtOrAboveTheirThreshold() {
        Random random = new Random(6);
        int nr = DotKernel.best().nr();
        for (boolean euclid : new boolean[] {false, true}) {
            for (int rows : new int[] {1, 5, DotKernel.MR}) {
                for (int len : new int[] {1, nr / 2, nr}) {
                    for (int trial = 0; trial < 50; trial++) {
                        float[] tile = new float[DotKernel.MR * nr];
                        for (int i = 0; i < tile.length; i++) {
                            tile[i] = (float) random.nextGaussian();
                        }
                        float[] norms = new float[nr + 3];
                        for (int i = 0; i < norms.length; i++) {
                            norms[i] = random.nextFloat();
                        }
                        float[] thresholds = new float[DotKernel.MR + 2];
                        for (int r = 0; r < DotKernel.MR; r++) {
                            // sometimes exactly a score of the row: equal passes
                            int c = random.nextInt(len);
                            float exact = euclid ? 2 * tile[r * nr + c] - norms[3 + c] : tile[r * nr + c];
                            thresholds[2 + r] = random.nextBoolean() ? exact : 1.5f + (float) random.nextGaussian();
                        }
                        int expected = 0;
                        for (int r = 0; r < rows; r++) {
                            for (int c = 0; c < len; c++) {
                                float score = euclid ? 2 * tile[r * nr + c] - norms[3 + c] : tile[r * nr + c];
                                if (score >= thresholds[2 + r]) {
                                    expected |= 1 << r;
                                }
                            }
                        }
                        String as = "euclid=" + euclid + " rows=" + rows + " len=" + len;
                        assertThat(best.rowsAtLeast(tile, nr, rows, len, norms, 3, euclid, thresholds, 2))
                                .as(as).isEqualTo(expected);
                        assertThat(scalar.rowsAtLeast(tile, nr, rows, len, norms, 3, euclid, thresholds, 2))
                                .as(as).isEqualTo(expected);
                    }
                }
            }
        }
    }
}
