package dev.realitycheck.data.glyphs;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.geom.AffineTransform;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class GlyphRendererTest {

    private static GlyphRenderer dejaVuSans() throws Exception {
        Path dir = InstalledFonts.dejavu();
        FontCatalog catalog = FontCatalog.scan(GlyphParams.of(List.of(dir)));
        Typeface sans = catalog.typefaces().stream().filter(t -> t.name().equals("DejaVu Sans")).findFirst().orElseThrow();
        return new GlyphRenderer(sans);
    }

    private static int ink(byte[] pixels) {
        int sum = 0;
        for (byte b : pixels) {
            sum += b & 0xFF;
        }
        return sum;
    }

    @Test
    void aDrawnGlyphHasInkInsideTheImageAndDiffersBetweenCharacters() throws Exception {
        GlyphRenderer renderer = dejaVuSans();
        byte[] a = GlyphRenderer.draw(renderer.outline('A').orElseThrow(), new AffineTransform());
        byte[] b = GlyphRenderer.draw(renderer.outline('B').orElseThrow(), new AffineTransform());
        assertThat(a).hasSize(28 * 28);
        assertThat(renderer.usable(a)).isTrue();
        assertThat(ink(a)).isGreaterThan(255 * 20);
        assertThat(b).isNotEqualTo(a);
        // the border rows stay dark: glyphs keep a margin
        for (int col = 0; col < 28; col++) {
            assertThat(a[col]).isZero();
            assertThat(a[27 * 28 + col]).isZero();
        }
    }

    @Test
    void smallLettersStaySmallerThanCapitals() throws Exception {
        GlyphRenderer renderer = dejaVuSans();
        byte[] big = GlyphRenderer.draw(renderer.outline('O').orElseThrow(), new AffineTransform());
        byte[] small = GlyphRenderer.draw(renderer.outline('o').orElseThrow(), new AffineTransform());
        assertThat(ink(small)).isLessThan(ink(big) * 3 / 4);
    }

    @Test
    void aCharacterTheTypefaceLacksGivesNothing() throws Exception {
        GlyphRenderer renderer = dejaVuSans();
        assertThat(renderer.outline(0x10FFFD)).isEmpty(); // private use, in no font
        assertThat(renderer.outline(0x4E2D)).isEmpty(); // a CJK ideograph, not in DejaVu Sans
    }

    @Test
    void theNotdefBoxAndBlankDrawingsAreNotUsable() throws Exception {
        GlyphRenderer renderer = dejaVuSans();
        assertThat(renderer.usable(new byte[28 * 28])).isFalse();
        byte[] notdef = renderer.notdefDrawing();
        assertThat(ink(notdef)).as("DejaVu's .notdef is a visible box").isGreaterThan(255 * 20);
        assertThat(renderer.usable(notdef)).isFalse();
        assertThat(renderer.usable(GlyphRenderer.draw(renderer.outline('H').orElseThrow(), new AffineTransform()))).isTrue();
    }
}
