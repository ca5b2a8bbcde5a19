package dev.realitycheck.data.glyphs;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The characters the glyph dataset draws, one class each, grouped by script and kind.
 *
 * <p>Left out on purpose, because another class already has the same shape in most typefaces:
 * Greek capitals that are Latin capitals (Α Β Ε Ζ Η Ι Κ Μ Ν Ο Ρ Τ Υ Χ) and omicron; Cyrillic letters
 * that are Latin ones (А В Е К М Н О Р С Т Х, а е о р с у х, Ѕ І Ј ѕ і ј), Cyrillic Г П Ф (Greek Γ Π Φ)
 * and к (Greek κ); the n-ary sum and product and the increment sign (Σ Π Δ), the micro sign (μ);
 * and marks too small to tell apart at 28 x 28 (. , ' " - _ | and the like).
 */
public final class GlyphAlphabet {

    private GlyphAlphabet() {
    }

    /** The groups, in canonical order. */
    public static final List<GlyphGroup> GROUPS = List.of(
            GlyphGroup.of("latin-upper", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
            GlyphGroup.of("latin-lower", "abcdefghijklmnopqrstuvwxyz"),
            GlyphGroup.of("digit", "0123456789"),
            GlyphGroup.of("latin-extra", "ÆÇÉÑØÞßàáâäåãæçèéêëìíîïñòóôöõøœùúûüýþðłŁŒ"),
            GlyphGroup.of("greek-upper", "ΓΔΘΛΞΠΣΦΨΩ"),
            GlyphGroup.of("greek-lower", "αβγδεζηθικλμνξπρσςτυφχψω"),
            GlyphGroup.of("cyrillic-upper", "БДЖЗИЙЛЦЧШЩЪЫЬЭЮЯЁЄЇҐЂЋЉЊЏ"),
            GlyphGroup.of("cyrillic-lower", "бвгджзийлмнптфцчшщъыьэюяёєїґђћљњџ"),
            GlyphGroup.of("punctuation", "!#&()*/:;?@[\\]{}¡¿§¶†‡«»“”"),
            GlyphGroup.of("math", "+−×÷=≠<>≤≥±≈∞√∫∂∇∈∩∪⊂⊃∀∃¬∧∨∅°%‰~^"),
            GlyphGroup.of("arrow", "←↑→↓↔↕⇐⇒⇔"),
            GlyphGroup.of("currency-sign", "$€£¥¢©®™№¤"));

    /** Every character of {@link #GROUPS}, in order. */
    public static List<Integer> codePoints() {
        List<Integer> all = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (GlyphGroup group : GROUPS) {
            for (int cp : group.codePoints()) {
                if (!seen.add(cp)) {
                    throw new IllegalStateException("U+" + Integer.toHexString(cp) + " is in two groups");
                }
                all.add(cp);
            }
        }
        return all;
    }
}
