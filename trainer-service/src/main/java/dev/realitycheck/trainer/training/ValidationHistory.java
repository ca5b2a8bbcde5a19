package dev.realitycheck.trainer.training;

import dev.realitycheck.proto.v1.ValidationPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The choices a run makes, from its validations and nothing else: the best validation (highest
 * validation MAP@R, the earliest on ties; undefined MAP@R never wins) is the run's chosen
 * checkpoint, and {@code patience} validations in a row without a new best stop the run. It is
 * handed only {@link ValidationPoint}s, which are computed on the fold's validation classes, so no
 * test number can reach a choice. Not thread-safe.
 */
public final class ValidationHistory {

    private final int patience;
    private final List<ValidationPoint> points = new ArrayList<>();
    private ValidationPoint best;
    private int sinceBest;

    /** @param patience validations without a new best that stop the run; 0: never stop early */
    public ValidationHistory(int patience) {
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be >= 0, was " + patience);
        }
        this.patience = patience;
    }

    /** A history replayed from earlier points (e.g. after a resume), in iteration order. */
    public static ValidationHistory of(int patience, List<ValidationPoint> earlier) {
        ValidationHistory h = new ValidationHistory(patience);
        earlier.forEach(h::add);
        return h;
    }

    /**
     * Records the next validation.
     *
     * @return true when it is a new best
     * @throws IllegalArgumentException if its iteration is not after the previous one's
     */
    public boolean add(ValidationPoint point) {
        if (!points.isEmpty() && point.getIteration() <= points.getLast().getIteration()) {
            throw new IllegalArgumentException("validation of iteration " + point.getIteration()
                    + " does not follow the one of iteration " + points.getLast().getIteration());
        }
        points.add(point);
        boolean better = point.hasMapAtR() && !Double.isNaN(point.getMapAtR())
                && (best == null || point.getMapAtR() > best.getMapAtR());
        if (better) {
            best = point;
            sinceBest = 0;
        } else {
            sinceBest++;
        }
        return better;
    }

    /** @return every validation so far, in iteration order */
    public List<ValidationPoint> points() {
        return List.copyOf(points);
    }

    /** @return the run's chosen checkpoint: its best validation, once one is defined */
    public Optional<ValidationPoint> best() {
        return Optional.ofNullable(best);
    }

    /** @return true when the last {@code patience} validations brought no new best (never with patience 0) */
    public boolean patienceExhausted() {
        return patience > 0 && sinceBest >= patience;
    }

    /** The points up to {@code iteration} (what a run resumed at that iteration had validated). */
    public static List<ValidationPoint> upTo(List<ValidationPoint> points, long iteration) {
        return points.stream().filter(p -> p.getIteration() <= iteration).toList();
    }
}
