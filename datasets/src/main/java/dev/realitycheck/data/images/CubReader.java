package dev.realitycheck.data.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CUB-200-2011: {@code images.txt} ({@code <image id> <path under images/>}),
 * {@code image_class_labels.txt} ({@code <image id> <class id>}) and {@code classes.txt}
 * ({@code <class id> <name>}; optional, else the ids are the names). Class ids sorted give the
 * labels, so classes 1-100 are train/validation and 101-200 test.
 */
final class CubReader {

    static final String IMAGES = "images.txt";
    static final String LABELS = "image_class_labels.txt";
    static final String CLASSES = "classes.txt";
    static final String IMAGE_DIR = "images";

    private CubReader() {
    }

    static ImageDataset read(Path root) throws IOException {
        Path labelsFile = root.resolve(LABELS);
        Map<Integer, Integer> classOfImage = new HashMap<>();
        for (String[] row : IndexLines.read(labelsFile, 2, false)) {
            classOfImage.put(IndexLines.id(labelsFile, row[0]), IndexLines.id(labelsFile, row[1]));
        }
        Map<Integer, String> names = new HashMap<>();
        Path classesFile = root.resolve(CLASSES);
        if (Files.isRegularFile(classesFile)) {
            for (String[] row : IndexLines.read(classesFile, 2, false)) {
                names.put(IndexLines.id(classesFile, row[0]), row[1]);
            }
        }
        int[] ids = (names.isEmpty() ? classOfImage.values().stream() : names.keySet().stream()).mapToInt(i -> i).toArray();
        ClassIds classes = new ClassIds(ids);
        Path imagesFile = root.resolve(IMAGES);
        ListedFiles files = new ListedFiles(root, IMAGES);
        for (String[] row : IndexLines.read(imagesFile, 2, false)) {
            int image = IndexLines.id(imagesFile, row[0]);
            Integer classId = classOfImage.get(image);
            if (classId == null) {
                throw new IOException(labelsFile + ": no class for image " + image + " (" + row[1] + ")");
            }
            if (!names.isEmpty() && !names.containsKey(classId)) {
                throw new IOException(classesFile + ": no class " + classId + " (image " + image + ", " + row[1] + ")");
            }
            files.add(IMAGE_DIR + "/" + row[1], classes.label(classId));
        }
        List<String> classNames = new ArrayList<>();
        for (int id : classes.ids()) {
            classNames.add(names.getOrDefault(id, Integer.toString(id)));
        }
        return new ImageDataset(root, ImageLayout.CUB200, files.entries(), classNames);
    }
}
