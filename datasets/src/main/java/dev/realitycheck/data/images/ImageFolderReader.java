package dev.realitycheck.data.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Any dataset laid out as {@code root/<class>/<image>}: the class folders sorted by name give the
 * labels, the image files ({@value #EXTENSIONS_TEXT}, any case) in each folder are sorted by name;
 * hidden entries and other files are skipped.
 */
final class ImageFolderReader {

    static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");
    static final String EXTENSIONS_TEXT = ".jpg, .jpeg, .png, .bmp, .gif";

    private ImageFolderReader() {
    }

    static ImageDataset read(Path root) throws IOException {
        List<Path> classDirs;
        try (Stream<Path> children = Files.list(root)) {
            classDirs = children.filter(Files::isDirectory).filter(p -> !hidden(p)).sorted().toList();
        }
        List<String> classNames = new ArrayList<>();
        ListedFiles files = new ListedFiles(root, "the class folders");
        for (Path dir : classDirs) {
            int label = classNames.size();
            classNames.add(dir.getFileName().toString());
            List<Path> images;
            try (Stream<Path> children = Files.list(dir)) {
                images = children.filter(Files::isRegularFile).filter(p -> !hidden(p) && isImage(p)).sorted().toList();
            }
            for (Path image : images) {
                files.add(dir.getFileName() + "/" + image.getFileName(), label);
            }
        }
        return new ImageDataset(root, ImageLayout.IMAGE_FOLDERS, files.entries(), classNames);
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
