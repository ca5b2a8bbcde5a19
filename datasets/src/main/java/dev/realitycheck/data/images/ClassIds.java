package dev.realitycheck.data.images;

import java.util.Arrays;
import java.util.List;

/**
 * The paper's label order for datasets that number their classes (CUB, Cars196, SOP): the class
 * ids sorted ascending, label {@code i} the {@code i}-th id, so the first half of the ids is
 * train/validation and the second half test.
 */
final class ClassIds {

    private final int[] sorted;

    ClassIds(int[] ids) {
        this.sorted = Arrays.stream(ids).distinct().sorted().toArray();
    }

    /** @return the label of class id {@code id}, which must be one of the ids */
    int label(int id) {
        int label = Arrays.binarySearch(sorted, id);
        if (label < 0) {
            throw new IllegalArgumentException("unknown class id " + id);
        }
        return label;
    }

    /** @return the ids in label order */
    int[] ids() {
        return sorted.clone();
    }

    /** @return the ids as names, for layouts without class names */
    List<String> idNames() {
        return Arrays.stream(sorted).mapToObj(Integer::toString).toList();
    }
}
