package dev.realitycheck.data.glyphs;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How the glyph dataset is made.
 *
 * @param fontDirectories  where the TTF/OTF/TTC files are (scanned recursively)
 * @param instancesPerClass every class gets at least this many images: one per typeface that has the
 *                          character, then augmented copies up to this number
 * @param minTypefaces      a character is a class only if at least this many typefaces really have it
 * @param seed              seed of the augmentation
 * @param excludedFamilies  family-name fragments (any case) of typefaces not to use
 */
public record GlyphParams(List<Path> fontDirectories, int instancesPerClass, int minTypefaces, long seed,
                          List<String> excludedFamilies) {

    /** Debian's font packages the dataset is documented and tested with (about 27 MB to download). */
    public static final List<String> DEBIAN_FONT_PACKAGES = List.of("fonts-dejavu-core", "fonts-dejavu-extra",
            "fonts-liberation2", "fonts-freefont-ttf", "fonts-urw-base35", "fonts-crosextra-carlito",
            "fonts-crosextra-caladea", "fonts-paratype", "fonts-roboto-unhinted", "fonts-open-sans", "fonts-go",
            "fonts-linuxlibertine", "fonts-ebgaramond", "fonts-stix", "fonts-noto-mono", "fonts-hack",
            "fonts-cantarell");

    /** Where Debian installs fonts. */
    public static final Path DEBIAN_FONT_DIRECTORY = Path.of("/usr/share/fonts");

    /** System property naming the font directories (separated by the path separator). */
    public static final String FONTS_PROPERTY = "realitycheck.glyphs.fonts";

    /** Environment variable naming the font directories, used when the property is not set. */
    public static final String FONTS_ENV = "REALITYCHECK_GLYPH_FONTS";

    /**
     * Symbol fonts that put other shapes on letter code points (URW's Standard Symbols PS draws α
     * for a, its Dingbats draws ornaments), small-caps faces that draw small letters as capitals, and
     * keyboard faces (Linux Biolinum Keyboard) that draw every character inside a key cap.
     */
    public static final List<String> DEFAULT_EXCLUDED_FAMILIES = List.of("Symbol", "D050000L", "Dingbat",
            "Wingding", "Webdings", "Smallcaps", "Small Caps", "Keyboard");

    /** Default images per class. */
    public static final int DEFAULT_INSTANCES = 24;

    /** Default minimum number of typefaces per class. */
    public static final int DEFAULT_MIN_TYPEFACES = 12;

    /** Validates the values. */
    public GlyphParams {
        fontDirectories = List.copyOf(fontDirectories);
        excludedFamilies = List.copyOf(excludedFamilies);
        if (fontDirectories.isEmpty()) {
            throw new IllegalArgumentException("fontDirectories must name at least one directory");
        }
        if (instancesPerClass < 2) {
            throw new IllegalArgumentException("instancesPerClass must be >= 2, got " + instancesPerClass);
        }
        if (minTypefaces < 1) {
            throw new IllegalArgumentException("minTypefaces must be >= 1, got " + minTypefaces);
        }
    }

    /** The defaults with these font directories. */
    public static GlyphParams of(List<Path> fontDirectories) {
        return new GlyphParams(fontDirectories, DEFAULT_INSTANCES, DEFAULT_MIN_TYPEFACES, 0, DEFAULT_EXCLUDED_FAMILIES);
    }

    /**
     * The defaults with the font directories of {@value #FONTS_PROPERTY}, else {@value #FONTS_ENV},
     * else {@link #DEBIAN_FONT_DIRECTORY}.
     */
    public static GlyphParams defaults() {
        return of(defaultFontDirectories(System.getProperty(FONTS_PROPERTY), System.getenv()));
    }

    static List<Path> defaultFontDirectories(String property, Map<String, String> env) {
        String value = property != null && !property.isBlank() ? property : env.get(FONTS_ENV);
        if (value == null || value.isBlank()) {
            return List.of(DEBIAN_FONT_DIRECTORY);
        }
        return Arrays.stream(value.split(File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of).toList();
    }

    /** The same with other font directories. */
    public GlyphParams withFontDirectories(List<Path> dirs) {
        return new GlyphParams(dirs, instancesPerClass, minTypefaces, seed, excludedFamilies);
    }

    /** A stable text of every value that changes the images (for the cache key). */
    String key() {
        return "instances=" + instancesPerClass + ";minTypefaces=" + minTypefaces + ";seed=" + seed
                + ";excluded=" + String.join(",", excludedFamilies) + ";size=" + GlyphRenderer.SIZE;
    }
}
