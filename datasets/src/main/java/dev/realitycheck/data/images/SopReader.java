package dev.realitycheck.data.images;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Stanford Online Products: {@code Ebay_train.txt} and {@code Ebay_test.txt}, each a header line
 * then {@code <image id> <class id> <super-class id> <path>}. The two lists are merged (the paper
 * re-splits by class): 22,634 class ids sorted give the labels, the first 11,317 train/validation.
 * SOP has no class names; the ids are the names.
 */
final class SopReader {

    static final String TRAIN = "Ebay_train.txt";
    static final String TEST = "Ebay_test.txt";

    private SopReader() {
    }

    static ImageDataset read(Path root) throws IOException {
        List<String[]> rows = new ArrayList<>();
        List<Integer> classIds = new ArrayList<>();
        for (String list : List.of(TRAIN, TEST)) {
            Path file = root.resolve(list);
            for (String[] row : IndexLines.read(file, 4, true)) {
                rows.add(row);
                classIds.add(IndexLines.id(file, row[1]));
            }
        }
        ClassIds classes = new ClassIds(classIds.stream().mapToInt(i -> i).toArray());
        ListedFiles files = new ListedFiles(root, TRAIN + " / " + TEST);
        for (int i = 0; i < rows.size(); i++) {
            files.add(rows.get(i)[3], classes.label(classIds.get(i)));
        }
        return new ImageDataset(root, ImageLayout.SOP, files.entries(), classes.idNames());
    }
}
