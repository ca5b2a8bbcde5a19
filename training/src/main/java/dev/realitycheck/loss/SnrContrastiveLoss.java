package dev.realitycheck.loss;

import dev.realitycheck.loss.distance.SnrDistance;
import dev.realitycheck.loss.reducer.AvgNonZeroReducer;
import dev.realitycheck.loss.reducer.Reducer;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The signal-to-noise-ratio contrastive loss (Yuan et al. 2019), as pytorch-metric-learning's
 * {@code SignalToNoiseRatioContrastiveLoss}: the {@link ContrastiveLoss} over the
 * {@link SnrDistance}.
 *
 * @param posMargin finite; PML default 0
 * @param negMargin finite; PML default 1
 * @param reducer   PML default {@link AvgNonZeroReducer}
 */
public record SnrContrastiveLoss(double posMargin, double negMargin, Reducer reducer) implements Loss {

    /** Validates through {@link ContrastiveLoss}. */
    public SnrContrastiveLoss {
        new ContrastiveLoss(posMargin, negMargin, new SnrDistance(), reducer);
    }

    /** PML's defaults. */
    public SnrContrastiveLoss() {
        this(0, 1, new AvgNonZeroReducer());
    }

    @Override
    public Operand<TFloat32> build(Ops tf, Operand<TFloat32> embeddings, Operand<TInt32> labels, TupleIndices mined,
                                   Map<String, ? extends Operand<TFloat32>> parameters) {
        return new ContrastiveLoss(posMargin, negMargin, new SnrDistance(), reducer)
                .build(tf, embeddings, labels, mined, parameters);
    }
}
