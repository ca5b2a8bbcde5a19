package dev.realitycheck.data.glyphs;

import dev.realitycheck.data.Idx;
import dev.realitycheck.data.IdxArray;
import dev.realitycheck.data.IdxType;
import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.data.MnistDirectory;
import dev.realitycheck.split.ClassSplit;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a {@link GlyphDataset} as an MNIST-layout directory ({@link MnistDirectory}), so every
 * reader of IDX datasets loads it unchanged: the {@code train-*} files hold the classes
 * {@link ClassSplit} trains and validates on (the first half of the labels), the {@code t10k-*}
 * files the held-out test classes; beside them {@value #CLASSES_FILE} (label, character, code
 * point, group, typefaces, images) and {@value #TYPEFACES_FILE} (one face name per line).
 */
public final class GlyphFiles {

    /** The class table. */
    public static final String CLASSES_FILE = "classes.tsv";
    /** The typefaces used, in order. */
    public static final String TYPEFACES_FILE = "typefaces.txt";

    private GlyphFiles() {
    }

    /**
     * Writes the files into {@code dir} (created if missing; existing files replaced).
     *
     * @param dataset the dataset
     * @param dir     the directory
     * @throws IOException if a file cannot be written
     */
    public static void write(GlyphDataset dataset, Path dir) throws IOException {
        Files.createDirectories(dir);
        LabeledImages images = dataset.images();
        int half = dataset.classes().size() / 2;
        writePart(images, dir.resolve(MnistDirectory.TRAIN_IMAGES), dir.resolve(MnistDirectory.TRAIN_LABELS), l -> l < half);
        writePart(images, dir.resolve(MnistDirectory.TEST_IMAGES), dir.resolve(MnistDirectory.TEST_LABELS), l -> l >= half);
        List<String> rows = new ArrayList<>();
        rows.add("label\tcharacter\tcode_point\tgroup\ttypefaces\timages\tsplit");
        for (GlyphClass c : dataset.classes()) {
            rows.add(String.format(Locale.ROOT, "%d\t%s\t%s\t%s\t%d\t%d\t%s", c.label(), c.character(), c.unicode(),
                    c.group(), c.typefaces(), c.instances(), c.label() < half ? "train" : "test"));
        }
        Files.write(dir.resolve(CLASSES_FILE), rows, StandardCharsets.UTF_8);
        Files.write(dir.resolve(TYPEFACES_FILE), dataset.typefaces(), StandardCharsets.UTF_8);
    }

    private static void writePart(LabeledImages images, Path imagesFile, Path labelsFile,
                                  java.util.function.IntPredicate keep) throws IOException {
        int pixels = images.pixelsPerImage();
        int count = 0;
        for (int label : images.labels()) {
            count += keep.test(label) ? 1 : 0;
        }
        byte[] data = new byte[count * pixels];
        ByteBuffer labels = ByteBuffer.allocate(count * 4);
        int next = 0;
        for (int i = 0; i < images.count(); i++) {
            if (keep.test(images.label(i))) {
                System.arraycopy(images.pixels(), i * pixels, data, next * pixels, pixels);
                labels.putInt(images.label(i));
                next++;
            }
        }
        labels.flip();
        Idx.write(imagesFile, IdxArray.ofUnsignedBytes(new int[] {count, images.height(), images.width()}, data));
        Idx.write(labelsFile, new IdxArray(IdxType.INT, new int[] {count}, labels));
    }
}
