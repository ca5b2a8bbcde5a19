package dev.realitycheck.data.glyphs;

import java.util.Objects;

/**
 * One class of the glyph dataset: a character.
 *
 * @param label      the class label (its position in the label order, see {@link GlyphDataset})
 * @param codePoint  the character
 * @param group      its {@link GlyphGroup}'s name
 * @param typefaces  how many typefaces really have it (one plain image each)
 * @param instances  images of the class: the plain ones plus augmented copies
 */
public record GlyphClass(int label, int codePoint, String group, int typefaces, int instances) {

    /** Validates the counts. */
    public GlyphClass {
        Objects.requireNonNull(group, "group");
        if (label < 0) {
            throw new IllegalArgumentException("label must be >= 0, got " + label);
        }
        if (typefaces < 1 || instances < typefaces) {
            throw new IllegalArgumentException("need 1 <= typefaces <= instances, got " + typefaces + " and " + instances);
        }
    }

    /** The character as a string. */
    public String character() {
        return Character.toString(codePoint);
    }

    /** E.g. {@code U+03B1}. */
    public String unicode() {
        return String.format(java.util.Locale.ROOT, "U+%04X", codePoint);
    }
}
