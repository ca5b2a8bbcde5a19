package dev.realitycheck.data.glyphs;

import java.util.List;
import java.util.Objects;

/**
 * One group of characters of the glyph dataset (a script's capitals, its small letters, digits,
 * signs...), in their canonical order. Visually identical characters of other groups (Greek Alpha,
 * Cyrillic A) are left out so that no two classes draw the same shape.
 *
 * @param name       short name, e.g. {@code latin-upper}
 * @param codePoints the characters, in order, no duplicates
 */
public record GlyphGroup(String name, List<Integer> codePoints) {

    /** Validates the name and that the group is non-empty. */
    public GlyphGroup {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("group name must not be blank");
        }
        codePoints = List.copyOf(codePoints);
        if (codePoints.isEmpty()) {
            throw new IllegalArgumentException("group '" + name + "' has no characters");
        }
        if (codePoints.stream().distinct().count() != codePoints.size()) {
            throw new IllegalArgumentException("group '" + name + "' lists a character twice: " + codePoints);
        }
    }

    /** A group of the characters of {@code chars}, in order. */
    public static GlyphGroup of(String name, String chars) {
        return new GlyphGroup(name, chars.codePoints().boxed().toList());
    }
}
