package dev.realitycheck.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ClassSplitTest {

    @Test
    void fashionMnistTrainsOnClassesZeroToFourAndTestsOnFiveToNine() {
        int[] labels = {9, 0, 3, 5, 1, 2, 4, 6, 7, 8, 0, 9};

        ClassSplit split = ClassSplit.of(labels, 2);

        assertThat(split.trainClasses()).containsExactly(0, 1, 2, 3, 4);
        assertThat(split.testClasses()).containsExactly(5, 6, 7, 8, 9);
        assertThat(split.validationClasses(0)).containsExactly(0, 1);
        assertThat(split.validationClasses(1)).containsExactly(2, 3, 4);
        assertThat(split.trainingClasses(0)).containsExactly(2, 3, 4);
    }

    @Test
    void foldsPartitionTheTrainingClassesLikeThePapersQuarters() {
        int[] labels = IntStream.range(0, 200).toArray(); // 100 training classes, 4 folds of 25

        ClassSplit split = ClassSplit.of(labels, 4);

        int[] all = IntStream.range(0, 4).flatMap(f -> Arrays.stream(split.validationClasses(f))).toArray();
        assertThat(all).containsExactly(split.trainClasses());
        assertThat(split.validationClasses(1)).hasSize(25).startsWith(25);
        for (int f = 0; f < 4; f++) {
            assertThat(split.trainingClasses(f)).hasSize(75).doesNotContain(split.validationClasses(f));
        }
    }

    @Test
    void selectReturnsTheItemsOfTheGivenClasses() {
        assertThat(ClassSplit.select(new int[] {5, 1, 7, 5, 2}, new int[] {7, 5})).containsExactly(0, 2, 3);
    }

    @Test
    void tooManyFoldsIsRejectedWithTheValue() {
        assertThatThrownBy(() -> ClassSplit.of(new int[] {0, 1, 2, 3}, 3)).hasMessageContaining("got 3");
    }
}
