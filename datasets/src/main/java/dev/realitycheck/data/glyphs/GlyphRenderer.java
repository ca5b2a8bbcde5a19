package dev.realitycheck.data.glyphs;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.font.GlyphVector;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.Optional;

/**
 * Draws one character of one typeface as a 28 x 28 grey-scale image, white ink (255) on black (0)
 * like MNIST: the glyph's outline is filled with Java2D's antialiasing (headless, no hinting), so
 * the same font file and JDK always give the same bytes.
 *
 * <p>Layout: each typeface is scaled so that its capital height ({@code H}, else Cyrillic
 * {@code Н} or Greek {@code Π}, else 72% of its ascent) is {@value #CAP_HEIGHT} pixels, with the
 * baseline on row {@value #BASELINE}, so small letters stay small and descenders descend (o and O,
 * p and P differ); a glyph is centred horizontally and shrunk about its centre only if it would
 * not fit within a 1-pixel margin.
 */
public final class GlyphRenderer {

    /** Image side in pixels. */
    public static final int SIZE = 28;
    /** Row of the baseline. */
    static final float BASELINE = 22f;
    /** Capital height in pixels. */
    static final float CAP_HEIGHT = 16f;
    /** Largest extent a glyph may have before it is shrunk. */
    private static final float MAX_EXTENT = SIZE - 2f;
    /** Point size outlines are taken at (large, so the scaler's fixed-point grid does not show). */
    private static final float OUTLINE_SIZE = 256f;
    /** A glyph whose brightest pixel is below this is treated as blank. */
    private static final int MIN_INK = 64;

    private static final FontRenderContext FRC = new FontRenderContext(null, true, true);

    private final Font font;
    private final double scale;
    private final byte[] notdef;

    /** Makes sure AWT runs headless (no display is needed or touched); call before any AWT class loads. */
    static void headless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** @param typeface the typeface to draw with */
    public GlyphRenderer(Typeface typeface) {
        headless();
        this.font = typeface.font().deriveFont(OUTLINE_SIZE);
        this.scale = CAP_HEIGHT / capHeight(font);
        GlyphVector missing = font.createGlyphVector(FRC, new int[] {font.getMissingGlyphCode()});
        this.notdef = draw(fitted(missing.getOutline()), new AffineTransform());
    }

    private static double capHeight(Font font) {
        for (int cp : new int[] {'H', 0x041D, 0x03A0}) {
            if (font.canDisplay(cp)) {
                Rectangle2D b = font.createGlyphVector(FRC, Character.toString(cp)).getOutline().getBounds2D();
                if (b.getHeight() > 0) {
                    return b.getHeight();
                }
            }
        }
        return 0.72 * font.getLineMetrics("H", FRC).getAscent();
    }

    /**
     * The character's outline placed in the image (scaled, on the baseline, centred, fitted), or
     * nothing when the typeface lacks it: not displayable, mapped to the missing glyph, empty.
     *
     * @param codePoint the character
     * @return its placed outline
     */
    public Optional<Shape> outline(int codePoint) {
        if (!font.canDisplay(codePoint)) {
            return Optional.empty();
        }
        GlyphVector gv = font.createGlyphVector(FRC, Character.toString(codePoint));
        if (gv.getNumGlyphs() != 1 || gv.getGlyphCode(0) == font.getMissingGlyphCode()) {
            return Optional.empty();
        }
        Shape raw = gv.getOutline();
        Rectangle2D b = raw.getBounds2D();
        if (b.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(fitted(raw));
    }

    private Shape fitted(Shape raw) {
        Rectangle2D b = raw.getBounds2D();
        AffineTransform t = new AffineTransform();
        t.translate(SIZE / 2.0, BASELINE);
        t.scale(scale, scale);
        t.translate(-b.getCenterX(), 0);
        Shape placed = t.createTransformedShape(raw);
        Rectangle2D p = placed.getBounds2D();
        double shrink = Math.min(1, Math.min(MAX_EXTENT / p.getWidth(), MAX_EXTENT / p.getHeight()));
        AffineTransform fit = new AffineTransform();
        if (shrink < 1) {
            fit.translate(p.getCenterX(), p.getCenterY());
            fit.scale(shrink, shrink);
            fit.translate(-p.getCenterX(), -p.getCenterY());
            p = fit.createTransformedShape(placed).getBounds2D();
        }
        double dy = p.getMinY() < 1 ? 1 - p.getMinY() : p.getMaxY() > SIZE - 1 ? SIZE - 1 - p.getMaxY() : 0;
        AffineTransform shift = AffineTransform.getTranslateInstance(0, dy);
        shift.concatenate(fit);
        return shift.createTransformedShape(placed);
    }

    /**
     * Draws a placed outline, optionally moved by an augmentation.
     *
     * @param placed  an outline from {@link #outline(int)}
     * @param augment applied on top (identity for the plain rendering)
     * @return {@code SIZE * SIZE} grey levels, row-major
     */
    public static byte[] draw(Shape placed, AffineTransform augment) {
        headless();
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            g.fill(augment.createTransformedShape(placed));
        } finally {
            g.dispose();
        }
        return ((DataBufferByte) image.getRaster().getDataBuffer()).getData().clone();
    }

    /** The typeface's .notdef glyph drawn like a character (a copy). */
    byte[] notdefDrawing() {
        return notdef.clone();
    }

    /**
     * Whether a drawn glyph is usable: it has ink, and it is not the typeface's .notdef box (some
     * typefaces map characters they lack to it).
     *
     * @param pixels a drawing from {@link #draw}
     * @return true if usable
     */
    public boolean usable(byte[] pixels) {
        int max = 0;
        for (byte b : pixels) {
            max = Math.max(max, b & 0xFF);
        }
        return max >= MIN_INK && !java.util.Arrays.equals(pixels, notdef);
    }
}
