package dev.realitycheck.knn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A {@link PanelSearch} that its workers could not run refuses to exist, naming the bad value. */
class PanelSearchTest {

    private static final DotKernel KERNEL = new ScalarDotKernel(8);

    private static Panels panels(int rows, int dim, int width) {
        return new Panels(new Embeddings(new float[rows * dim], rows, dim), width);
    }

    @Test
    void aConsistentSearchKeepsItsParts() {
        Panels q = panels(5, 3, DotKernel.MR);
        Panels r = panels(7, 3, KERNEL.nr());
        int[] excluded = {0, 1, 2, 3, -1};
        PanelSearch search = new PanelSearch(KERNEL, q, r, true, excluded, 7);
        assertThat(search.queries()).isSameAs(q);
        assertThat(search.references()).isSameAs(r);
        assertThat(search.excluded()).isSameAs(excluded);
        assertThat(search.k()).isEqualTo(7);
        assertThat(search.excluded(2)).isEqualTo(2);
        assertThat(search.excluded(4)).isEqualTo(-1);
        assertThat(new PanelSearch(KERNEL, q, r, true, null, 7).excluded(3)).as("nothing excluded").isEqualTo(-1);
    }

    @Test
    void refusesWhatTheWorkersCouldNotRun() {
        Panels q = panels(5, 3, DotKernel.MR);
        Panels r = panels(7, 3, KERNEL.nr());
        assertThatThrownBy(() -> new PanelSearch(KERNEL, q, r, false, null, 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 8");
        assertThatThrownBy(() -> new PanelSearch(KERNEL, q, r, false, null, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0");
        assertThatThrownBy(() -> new PanelSearch(KERNEL, q, r, false, new int[4], 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 entries for 5 queries");
        assertThatThrownBy(() -> new PanelSearch(KERNEL, q, panels(7, 4, KERNEL.nr()), false, null, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dim 3").hasMessageContaining("dim 4");
        assertThatThrownBy(() -> new PanelSearch(KERNEL, q, panels(7, 3, KERNEL.nr() + 1), false, null, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining((KERNEL.nr() + 1) + " rows");
        assertThatThrownBy(() -> new PanelSearch(null, q, r, false, null, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kernel");
    }
}
