package dev.realitycheck.data.images;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.Cell;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.Struct;

/**
 * Small image datasets written in each {@link ImageLayout}, for tests without downloads: every
 * class a colour with a gradient and per-image noise, images of varied sizes (about 30-90 pixels a
 * side), alternately JPEG and PNG, and in every dataset one grey PNG (the first image of class 0)
 * and one PNG with alpha (its second image). Deterministic: the same arguments write the same bytes.
 * Shared with other modules' tests through this module's test jar.
 */
public final class ImageDatasetFixtures {

    private ImageDatasetFixtures() {
    }

    /** One generated image: its path (no extension) relative to where it is written, class (1-based id), index in its class. */
    record Item(String path, int classId, int index) {
    }

    /** {@code root/<class>/<image>} with folders {@code class-00 ...}. */
    public static Path imageFolders(Path root, int classes, int perClass) throws IOException {
        for (Item item : items(classes, perClass, (c, i) -> String.format("class-%02d/img-%03d", c - 1, i))) {
            writeItem(root, item);
        }
        return root;
    }

    /** CUB-200-2011: {@code images.txt}, {@code image_class_labels.txt}, {@code classes.txt}, {@code images/}. */
    public static Path cub(Path root, int classes, int perClass) throws IOException {
        List<Item> items = items(classes, perClass, (c, i) -> String.format("%03d.Bird_%d/Bird_%d_%04d", c, c, c, i));
        List<String> images = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int k = 0; k < items.size(); k++) {
            Item item = items.get(k);
            String path = writeItem(root.resolve(CubReader.IMAGE_DIR), item);
            images.add((k + 1) + " " + path);
            labels.add((k + 1) + " " + item.classId());
        }
        List<String> names = new ArrayList<>();
        for (int c = 1; c <= classes; c++) {
            names.add(c + " " + String.format("%03d.Bird_%d", c, c));
        }
        Files.write(root.resolve(CubReader.IMAGES), images, StandardCharsets.UTF_8);
        Files.write(root.resolve(CubReader.LABELS), labels, StandardCharsets.UTF_8);
        Files.write(root.resolve(CubReader.CLASSES), names, StandardCharsets.UTF_8);
        return root;
    }

    /** Cars196: {@code cars_annos.mat} written with mfl-core, images in {@code car_ims/}. */
    public static Path cars196(Path root, int classes, int perClass) throws IOException {
        List<Item> items = items(classes, perClass, (c, i) -> String.format("car_ims/%06d", (c - 1) * perClass + i + 1));
        Struct annotations = Mat5.newStruct(1, items.size());
        for (int k = 0; k < items.size(); k++) {
            Item item = items.get(k);
            String path = writeItem(root, item);
            annotations.set("relative_im_path", k, Mat5.newString(path));
            for (String box : List.of("bbox_x1", "bbox_y1", "bbox_x2", "bbox_y2")) {
                annotations.set(box, k, Mat5.newScalar(1));
            }
            annotations.set("class", k, Mat5.newScalar(item.classId()));
            annotations.set("test", k, Mat5.newScalar(k % 2));
        }
        Cell names = Mat5.newCell(1, classes);
        for (int c = 0; c < classes; c++) {
            names.set(c, Mat5.newString("Car Model " + (c + 1)));
        }
        Files.createDirectories(root);
        try (MatFile mat = Mat5.newMatFile().addArray("annotations", annotations).addArray("class_names", names)) {
            Mat5.writeToFile(mat, root.resolve(Cars196Reader.ANNOTATIONS).toFile());
        }
        return root;
    }

    /** Stanford Online Products: the first half of the class ids in {@code Ebay_train.txt}, the rest in {@code Ebay_test.txt}. */
    public static Path sop(Path root, int classes, int perClass) throws IOException {
        List<Item> items = items(classes, perClass, (c, i) -> String.format("chair_final/%d_%d", c, i));
        List<String> train = new ArrayList<>(List.of("image_id class_id super_class_id path"));
        List<String> test = new ArrayList<>(List.of("image_id class_id super_class_id path"));
        for (int k = 0; k < items.size(); k++) {
            Item item = items.get(k);
            String path = writeItem(root, item);
            (item.classId() <= classes / 2 ? train : test).add((k + 1) + " " + item.classId() + " 1 " + path);
        }
        Files.write(root.resolve(SopReader.TRAIN), train, StandardCharsets.UTF_8);
        Files.write(root.resolve(SopReader.TEST), test, StandardCharsets.UTF_8);
        return root;
    }

    /** Overwrites {@code file} with bytes no image reader recognises. */
    public static void corrupt(Path file) throws IOException {
        Files.writeString(file, "this is not an image\n");
    }

    /** Truncates {@code file} to zero bytes. */
    public static void empty(Path file) throws IOException {
        Files.write(file, new byte[0]);
    }

    /** A deterministic colour image of class {@code classId}, {@code width x height}. */
    public static BufferedImage picture(int classId, int index, int width, int height) {
        java.util.Random random = new java.util.Random(31L * classId + index);
        int r = (classId * 67) % 256;
        int g = (classId * 151) % 256;
        int b = (classId * 29 + 90) % 256;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int n = random.nextInt(21) - 10;
                image.setRGB(x, y, (clamp(r + x + n) << 16) | (clamp(g + y + n) << 8) | clamp(b + n));
            }
        }
        return image;
    }

    /** {@code image} as 8-bit grey. */
    public static BufferedImage grey(BufferedImage image) {
        BufferedImage grey = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                grey.getRaster().setSample(x, y, 0, (image.getRGB(x, y) >> 8) & 0xFF);
            }
        }
        return grey;
    }

    /** {@code image} with a varying alpha channel. */
    public static BufferedImage withAlpha(BufferedImage image) {
        BufferedImage argb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                argb.setRGB(x, y, ((x * 7 % 256) << 24) | (image.getRGB(x, y) & 0xFFFFFF));
            }
        }
        return argb;
    }

    /** A 4-colour palette image. */
    public static BufferedImage palette(int width, int height) {
        byte[] r = {0, (byte) 255, 0, 10};
        byte[] g = {0, 0, (byte) 255, 20};
        byte[] b = {0, 0, 0, (byte) 200};
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 4, r, g, b));
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.getRaster().setSample(x, y, 0, (x + y) % 4);
            }
        }
        return image;
    }

    /** Writes {@code image} as {@code format} ("png", "jpg") to {@code file}. */
    public static Path write(BufferedImage image, String format, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!ImageIO.write(image, format, file.toFile())) {
            throw new IOException("no ImageIO writer for " + format);
        }
        return file;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private interface Namer {
        String name(int classId, int index);
    }

    private static List<Item> items(int classes, int perClass, Namer namer) {
        List<Item> items = new ArrayList<>();
        for (int c = 1; c <= classes; c++) {
            for (int i = 0; i < perClass; i++) {
                items.add(new Item(namer.name(c, i), c, i));
            }
        }
        return items;
    }

    /** Writes one item under {@code dir}, returning its path with extension. */
    private static String writeItem(Path dir, Item item) throws IOException {
        int index = item.index();
        int width = 30 + (item.classId() * 13 + index * 17) % 61;
        int height = 30 + (item.classId() * 7 + index * 23) % 53;
        BufferedImage image = picture(item.classId(), index, width, height);
        boolean firstClass = item.classId() == 1;
        String path;
        if (firstClass && index == 0) {
            path = item.path() + ".png";
            write(grey(image), "png", dir.resolve(path));
        } else if (firstClass && index == 1) {
            path = item.path() + ".png";
            write(withAlpha(image), "png", dir.resolve(path));
        } else if ((item.classId() + index) % 2 == 0) {
            path = item.path() + ".jpg";
            write(image, "jpg", dir.resolve(path));
        } else {
            path = item.path() + ".png";
            write(image, "png", dir.resolve(path));
        }
        return path;
    }
}
