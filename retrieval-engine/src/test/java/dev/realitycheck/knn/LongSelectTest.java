package dev.realitycheck.knn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LongSelectTest {

    @Test
    void theKSmallestComeFirstForEveryK() {
        Random random = new Random(1);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + random.nextInt(300);
            long[] keys = random.longs(n, -1000, 1000).map(v -> v * 1024 + random.nextInt(1024)).toArray();
            long[] sorted = keys.clone();
            Arrays.sort(sorted);
            int k = random.nextInt(n + 1);
            long[] a = new long[n + 4]; // offset range inside a larger array
            System.arraycopy(keys, 0, a, 2, n);

            LongSelect.smallestFirst(a, 2, 2 + n, k);

            long[] head = Arrays.copyOfRange(a, 2, 2 + k);
            Arrays.sort(head);
            assertThat(head).containsExactly(Arrays.copyOf(sorted, k));
            long[] whole = Arrays.copyOfRange(a, 2, 2 + n);
            Arrays.sort(whole);
            assertThat(whole).containsExactly(sorted);
        }
    }

    @Test
    void duplicateKeysDoNotBreakTheBoundary() {
        long[] a = {5, 5, 5, 1, 5, 5, 0, 5};

        LongSelect.smallestFirst(a, 0, a.length, 3);

        long[] head = Arrays.copyOf(a, 3);
        Arrays.sort(head);
        assertThat(head).containsExactly(0, 1, 5);
    }
}
