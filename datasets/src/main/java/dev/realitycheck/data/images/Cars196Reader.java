package dev.realitycheck.data.images;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.Cell;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.Struct;

/**
 * Stanford Cars196: {@code cars_annos.mat}, a MATLAB v5 file read with the pure-Java MAT-file
 * library {@code us.hebi.matlab.mat:mfl-core}, holding the struct array {@code annotations}
 * (fields {@code relative_im_path}, e.g. {@code car_ims/000001.jpg}, and {@code class}, 1-based;
 * the bounding-box and {@code test} fields are not used: the paper re-splits by class) and the
 * cell array {@code class_names}. Classes 1-98 are train/validation, 99-196 test.
 */
final class Cars196Reader {

    static final String ANNOTATIONS = "cars_annos.mat";

    private Cars196Reader() {
    }

    static ImageDataset read(Path root) throws IOException {
        Path file = root.resolve(ANNOTATIONS);
        List<String> paths = new ArrayList<>();
        int[] classIds;
        List<String> names = new ArrayList<>();
        try (MatFile mat = Mat5.readFromFile(file.toFile())) {
            Struct annotations = mat.getStruct("annotations");
            int n = annotations.getNumElements();
            classIds = new int[n];
            for (int i = 0; i < n; i++) {
                paths.add(annotations.getChar("relative_im_path", i).getString().strip());
                classIds[i] = annotations.getMatrix("class", i).getInt(0);
            }
            Cell classNames = mat.getCell("class_names");
            for (int i = 0; i < classNames.getNumElements(); i++) {
                names.add(classNames.getChar(i).getString().strip());
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": not a Cars196 annotation file (a MATLAB v5 struct array 'annotations' with "
                    + "'relative_im_path' and 'class', and a cell array 'class_names'): " + e.getMessage(), e);
        }
        ClassIds classes = new ClassIds(classIds);
        List<String> classNames = new ArrayList<>();
        for (int id : classes.ids()) {
            if (id < 1 || id > names.size()) {
                throw new IOException(file + ": class " + id + " has no entry in class_names (" + names.size() + " names)");
            }
            classNames.add(names.get(id - 1));
        }
        ListedFiles files = new ListedFiles(root, ANNOTATIONS);
        for (int i = 0; i < paths.size(); i++) {
            files.add(paths.get(i), classes.label(classIds[i]));
        }
        return new ImageDataset(root, ImageLayout.CARS196, files.entries(), classNames);
    }
}
