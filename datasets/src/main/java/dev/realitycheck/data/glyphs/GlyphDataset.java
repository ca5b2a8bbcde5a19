package dev.realitycheck.data.glyphs;

import dev.realitycheck.data.LabeledImages;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A many-class dataset from real artwork: characters of several scripts ({@link GlyphAlphabet})
 * drawn by every typeface of a set of font files, one class per character, 28 x 28 grey-scale
 * like Fashion-MNIST.
 *
 * <p>A class gets one plain image per typeface that really has the character (displayable, not
 * the .notdef box, not blank; identical drawings counted once), in typeface order, then augmented
 * copies of those (cycling through them; shift up to {@value #MAX_SHIFT} px, scale
 * 1 ± {@value #MAX_SCALE}, rotation up to ± {@value #MAX_DEGREES} degrees, each drawn from a
 * {@link SplittableRandom} seeded by the seed, the character and the copy's number) until it has
 * {@link GlyphParams#instancesPerClass()} images. Characters that fewer than
 * {@link GlyphParams#minTypefaces()} typefaces have are left out.
 *
 * <p><b>Label order.</b> {@link dev.realitycheck.split.ClassSplit} trains on the first half of the
 * sorted labels and tests on the second, and its folds are contiguous ranges, so labels interleave
 * the groups: the k-th of a group's n kept characters (in the group's order) sits at position
 * (k + 0.5) / n, and labels follow that position (ties: group order). Every contiguous range of
 * labels then samples every group in proportion: the training half holds the first half of each
 * group (A-M, a-m, 0-4, Γ-Π, ...), the test half the second (N-Z, n-z, 5-9, Σ-Ω, ...).
 *
 * @param images    every image, grouped by class in label order
 * @param classes   the classes, indexed by label
 * @param typefaces the names of the typefaces used, in order
 */
public record GlyphDataset(LabeledImages images, List<GlyphClass> classes, List<String> typefaces) {

    /** Largest shift of an augmented copy, pixels. */
    static final double MAX_SHIFT = 1.5;
    /** Largest relative scale change of an augmented copy. */
    static final double MAX_SCALE = 0.1;
    /** Largest rotation of an augmented copy, degrees. */
    static final double MAX_DEGREES = 8;

    /** Copies the lists. */
    public GlyphDataset {
        classes = List.copyOf(classes);
        typefaces = List.copyOf(typefaces);
    }

    private record Drawing(Shape outline, byte[] pixels) {
    }

    /**
     * Draws the dataset.
     *
     * @param params fonts and counts
     * @return the images and classes
     * @throws java.nio.file.NoSuchFileException if a font directory is missing
     * @throws IOException if fonts cannot be read, or too few characters have enough typefaces
     */
    public static GlyphDataset generate(GlyphParams params) throws IOException {
        return generate(FontCatalog.scan(params), params);
    }

    /** Draws the dataset from an already scanned catalog. */
    public static GlyphDataset generate(FontCatalog catalog, GlyphParams params) throws IOException {
        List<Integer> alphabet = GlyphAlphabet.codePoints();
        List<Typeface> faces = catalog.typefaces();
        List<Map<Integer, Drawing>> perFace = IntStream.range(0, faces.size()).parallel()
                .mapToObj(i -> drawAll(faces.get(i), alphabet)).toList();
        Map<Integer, List<Drawing>> perChar = new LinkedHashMap<>();
        for (int cp : alphabet) {
            List<Drawing> drawings = new ArrayList<>();
            Set<ByteBuffer> seen = new HashSet<>();
            for (Map<Integer, Drawing> face : perFace) {
                Drawing d = face.get(cp);
                if (d != null && seen.add(ByteBuffer.wrap(d.pixels()))) {
                    drawings.add(d);
                }
            }
            if (drawings.size() >= params.minTypefaces()) {
                perChar.put(cp, drawings);
            }
        }
        if (perChar.size() < 2) {
            throw new IOException("only " + perChar.size() + " characters are drawn by at least " + params.minTypefaces()
                    + " of the " + faces.size() + " typefaces in " + params.fontDirectories()
                    + "; install more fonts (Debian: " + String.join(" ", GlyphParams.DEBIAN_FONT_PACKAGES) + ")");
        }
        List<Integer> order = labelOrder(perChar.keySet());
        List<GlyphClass> classes = new ArrayList<>();
        List<byte[]> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int label = 0; label < order.size(); label++) {
            int cp = order.get(label);
            List<Drawing> drawings = perChar.get(cp);
            int count = Math.max(drawings.size(), params.instancesPerClass());
            for (int j = 0; j < count; j++) {
                images.add(j < drawings.size() ? drawings.get(j).pixels()
                        : augmented(drawings.get(j % drawings.size()).outline(), params.seed(), cp, j));
                labels.add(label);
            }
            classes.add(new GlyphClass(label, cp, groupOf(cp), drawings.size(), count));
        }
        int pixels = GlyphRenderer.SIZE * GlyphRenderer.SIZE;
        byte[] all = new byte[images.size() * pixels];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i), 0, all, i * pixels, pixels);
        }
        return new GlyphDataset(new LabeledImages(GlyphRenderer.SIZE, GlyphRenderer.SIZE, all,
                labels.stream().mapToInt(Integer::intValue).toArray()), classes,
                faces.stream().map(Typeface::name).toList());
    }

    private static Map<Integer, Drawing> drawAll(Typeface face, List<Integer> alphabet) {
        GlyphRenderer renderer = new GlyphRenderer(face);
        Map<Integer, Drawing> out = new LinkedHashMap<>();
        AffineTransform identity = new AffineTransform();
        for (int cp : alphabet) {
            renderer.outline(cp).ifPresent(outline -> {
                byte[] pixels = GlyphRenderer.draw(outline, identity);
                if (renderer.usable(pixels)) {
                    out.put(cp, new Drawing(outline, pixels));
                }
            });
        }
        return out;
    }

    /** An augmented copy: a small random rotation, scale and shift about the glyph's centre. */
    static byte[] augmented(Shape outline, long seed, int codePoint, int copy) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + codePoint * 0x100000001B3L + copy);
        double degrees = random.nextDouble(-MAX_DEGREES, MAX_DEGREES);
        double scale = 1 + random.nextDouble(-MAX_SCALE, MAX_SCALE);
        double dx = random.nextDouble(-MAX_SHIFT, MAX_SHIFT);
        double dy = random.nextDouble(-MAX_SHIFT, MAX_SHIFT);
        Rectangle2D b = outline.getBounds2D();
        AffineTransform t = new AffineTransform();
        t.translate(b.getCenterX() + dx, b.getCenterY() + dy);
        t.rotate(Math.toRadians(degrees));
        t.scale(scale, scale);
        t.translate(-b.getCenterX(), -b.getCenterY());
        return GlyphRenderer.draw(outline, t);
    }

    /** The kept characters in label order: groups interleaved by relative position (see the class comment). */
    static List<Integer> labelOrder(Set<Integer> kept) {
        record Slot(int codePoint, double position, int group) {
        }
        List<Slot> slots = new ArrayList<>();
        for (int g = 0; g < GlyphAlphabet.GROUPS.size(); g++) {
            List<Integer> members = GlyphAlphabet.GROUPS.get(g).codePoints().stream().filter(kept::contains).toList();
            for (int k = 0; k < members.size(); k++) {
                slots.add(new Slot(members.get(k), (k + 0.5) / members.size(), g));
            }
        }
        slots.sort(Comparator.comparingDouble(Slot::position).thenComparingInt(Slot::group));
        return slots.stream().map(Slot::codePoint).toList();
    }

    private static String groupOf(int cp) {
        return GlyphAlphabet.GROUPS.stream().filter(g -> g.codePoints().contains(cp)).findFirst()
                .orElseThrow().name();
    }

    @Override
    public String toString() {
        return "GlyphDataset[" + classes.size() + " classes, " + images.count() + " images, " + typefaces.size()
                + " typefaces]";
    }

    /** The smallest class size. */
    public int minInstances() {
        return classes.stream().mapToInt(GlyphClass::instances).min().orElse(0);
    }
}
