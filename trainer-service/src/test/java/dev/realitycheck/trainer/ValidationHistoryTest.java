package dev.realitycheck.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realitycheck.proto.v1.ValidationPoint;
import dev.realitycheck.trainer.training.ValidationHistory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The choosing code: best = highest validation MAP@R (earliest on ties), patience counts validations without a new best. */
class ValidationHistoryTest {

    private static ValidationPoint point(long iteration, Double map) {
        ValidationPoint.Builder b = ValidationPoint.newBuilder().setIteration(iteration).setCheckpointId("c" + iteration);
        if (map != null) {
            b.setMapAtR(map);
        }
        return b.build();
    }

    @Test
    void theBestIsTheHighestMapAtRAndTheEarliestOnTies() {
        ValidationHistory h = new ValidationHistory(0);
        assertThat(h.add(point(10, 0.2))).isTrue();
        assertThat(h.add(point(20, 0.5))).isTrue();
        assertThat(h.add(point(30, 0.5))).isFalse();
        assertThat(h.add(point(40, 0.3))).isFalse();
        assertThat(h.best()).get().extracting(ValidationPoint::getCheckpointId).isEqualTo("c20");
        assertThat(h.patienceExhausted()).isFalse(); // patience 0 never stops
    }

    @Test
    void undefinedValidationsNeverWinButCountAgainstPatience() {
        ValidationHistory h = new ValidationHistory(2);
        assertThat(h.add(point(5, null))).isFalse();
        assertThat(h.best()).isEmpty();
        assertThat(h.add(point(10, Double.NaN))).isFalse();
        assertThat(h.patienceExhausted()).isTrue();
    }

    @Test
    void patienceStopsAfterThatManyValidationsWithoutANewBest() {
        ValidationHistory h = new ValidationHistory(2);
        h.add(point(1, 0.1));
        h.add(point(2, 0.3));
        h.add(point(3, 0.2));
        assertThat(h.patienceExhausted()).isFalse();
        h.add(point(4, 0.4)); // new best resets the count
        h.add(point(5, 0.4));
        assertThat(h.patienceExhausted()).isFalse();
        h.add(point(6, 0.1));
        assertThat(h.patienceExhausted()).isTrue();
        assertThat(h.best()).get().extracting(ValidationPoint::getIteration).isEqualTo(4L);
    }

    @Test
    void aReplayedHistoryChoosesAsTheOriginalAndRejectsOutOfOrderPoints() {
        List<ValidationPoint> points = List.of(point(1, 0.1), point(2, 0.3), point(3, 0.2));
        ValidationHistory replayed = ValidationHistory.of(1, ValidationHistory.upTo(points, 2));
        assertThat(replayed.points()).hasSize(2);
        assertThat(replayed.best()).get().extracting(ValidationPoint::getIteration).isEqualTo(2L);
        assertThatThrownBy(() -> replayed.add(point(2, 0.9))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("iteration 2");
        assertThatThrownBy(() -> new ValidationHistory(-1)).hasMessageContaining("-1");
    }
}
