package dev.realitycheck.evaluation.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.knn.Embeddings;
import dev.realitycheck.proto.v1.Split;
import dev.realitycheck.retrieval.RetrievalTask;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The owner's embedded split is lent to its own worker while lent; everything else is read as before. */
class OwnedInputsTest {

    private static RetrievalTask task(float value) {
        return RetrievalTask.sameSet(new Embeddings(new float[] {value, 0, 0, value}, 2, 2), new int[] {0, 1});
    }

    @Test
    void aLentSplitIsServedAsIsAndEveryOtherOneIsReadFromTheOthers() throws Exception {
        List<String> read = new ArrayList<>();
        RetrievalTask fromTopic = task(2);
        OwnedInputs inputs = new OwnedInputs((checkpoint, split) -> {
            read.add(checkpoint + " " + split);
            return fromTopic;
        });
        RetrievalTask owned = task(1);
        inputs.lend("ck", Split.SPLIT_TEST, owned);

        assertThat(inputs.inputs("ck", Split.SPLIT_TEST)).isSameAs(owned);
        assertThat(inputs.inputs("ck", Split.SPLIT_VALIDATION)).as("another split of it").isSameAs(fromTopic);
        assertThat(inputs.inputs("other", Split.SPLIT_TEST)).as("another replica's evaluation").isSameAs(fromTopic);
        inputs.release("ck", Split.SPLIT_TEST, task(1));
        assertThat(inputs.inputs("ck", Split.SPLIT_TEST)).as("released only by its own task").isSameAs(owned);
        inputs.release("ck", Split.SPLIT_TEST, owned);
        assertThat(inputs.inputs("ck", Split.SPLIT_TEST)).as("a block redelivered after the wait").isSameAs(fromTopic);

        assertThat(read).containsExactly("ck SPLIT_VALIDATION", "other SPLIT_TEST", "ck SPLIT_TEST");
        assertThat(inputs.fromOthers()).isEqualTo(3);
    }
}
