package dev.realitycheck.data.glyphs;

import java.awt.Font;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * One typeface loaded from a font file (a collection file holds several).
 *
 * @param file  the font file
 * @param index the typeface's position in the file (0 except in collections)
 * @param font  the loaded font, at size 1
 */
public record Typeface(Path file, int index, Font font) {

    /** Validates the fields. */
    public Typeface {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(font, "font");
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
    }

    /** The face name, e.g. {@code DejaVu Sans Bold}. */
    public String name() {
        return font.getFontName(Locale.ROOT);
    }

    /** The family name, e.g. {@code DejaVu Sans}. */
    public String family() {
        return font.getFamily(Locale.ROOT);
    }
}
