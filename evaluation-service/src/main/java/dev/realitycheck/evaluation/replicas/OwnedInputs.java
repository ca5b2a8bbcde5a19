package dev.realitycheck.evaluation.replicas;

import dev.realitycheck.evaluation.scoring.EvaluationIds;
import dev.realitycheck.proto.v1.Split;
import dev.realitycheck.retrieval.RetrievalTask;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The inputs of the replica that owns an evaluation: while its {@link BlockOwner} waits for a split's
 * blocks, the split its held-out scorer has just embedded is {@link #lend lent} to this replica's own
 * {@link BlockWorker}, which scores its blocks against it instead of reading and embedding the
 * checkpoint a second time; every other split (another replica's evaluation, or a block redelivered
 * after the owner's wait ended) comes from {@code others} ({@link CheckpointInputs}), as on every
 * other replica. The lent task is the single-process path's own embedding, so the blocks' scores are
 * the same bits; nothing here is needed by another replica.
 */
public final class OwnedInputs implements BlockInputs {

    private final ConcurrentMap<String, RetrievalTask> lent = new ConcurrentHashMap<>();
    private final BlockInputs others;
    private final AtomicLong fromOthers = new AtomicLong();

    /** @param others the inputs of the splits this replica does not own */
    public OwnedInputs(BlockInputs others) {
        this.others = Objects.requireNonNull(others, "others");
    }

    /** Lends {@code task}, the embedded {@code split} of {@code checkpointId}, until {@link #release}. */
    public void lend(String checkpointId, Split split, RetrievalTask task) {
        lent.put(EvaluationIds.of(checkpointId, split), Objects.requireNonNull(task, "task"));
    }

    /** Takes back what {@link #lend} lent (the worker keeps a reference while its blocks last). */
    public void release(String checkpointId, Split split, RetrievalTask task) {
        lent.remove(EvaluationIds.of(checkpointId, split), task);
    }

    @Override
    public RetrievalTask inputs(String checkpointId, Split split) throws Exception {
        RetrievalTask owned = lent.get(EvaluationIds.of(checkpointId, split));
        if (owned != null) {
            return owned;
        }
        fromOthers.incrementAndGet();
        return others.inputs(checkpointId, split);
    }

    /** Inputs this replica had to get from {@code others} (read and embedded), not lent by its owner. */
    public long fromOthers() {
        return fromOthers.get();
    }
}
