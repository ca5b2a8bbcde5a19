package dev.realitycheck.data.catalog;

import dev.realitycheck.data.FashionMnist;
import dev.realitycheck.data.MnistDirectory;
import dev.realitycheck.data.glyphs.GlyphCache;
import dev.realitycheck.data.glyphs.GlyphParams;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The datasets every service and command knows by name without configuration, each an
 * MNIST-layout directory ({@link MnistDirectory}):
 *
 * <ul>
 *   <li>{@value #FASHION_MNIST}: {@link FashionMnist}, from the Debian package;</li>
 *   <li>{@value #GLYPHS}: {@link dev.realitycheck.data.glyphs.GlyphDataset}, characters of several
 *       scripts drawn by the installed typefaces, generated into {@link GlyphCache} on first use.</li>
 * </ul>
 */
public final class BuiltinDatasets {

    /** Fashion-MNIST, the default. */
    public static final String FASHION_MNIST = "fashion-mnist";
    /** The many-class glyph dataset. */
    public static final String GLYPHS = "glyphs";
    /** Every built-in name. */
    public static final List<String> NAMES = List.of(FASHION_MNIST, GLYPHS);

    private static final System.Logger LOG = System.getLogger(BuiltinDatasets.class.getName());

    private BuiltinDatasets() {
    }

    /**
     * The directory of a built-in dataset, generating the glyphs on first use.
     *
     * @param name a dataset name
     * @return its directory, or nothing if the name is not built in or its files cannot be had
     *         (not installed; the reason is logged)
     */
    public static Optional<Path> find(String name) {
        return switch (name) {
            case FASHION_MNIST -> FashionMnist.findDebianInstall();
            case GLYPHS -> {
                try {
                    yield Optional.of(GlyphCache.materialiseDefault());
                } catch (IOException | RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "glyph dataset unavailable: " + e.getMessage());
                    yield Optional.empty();
                }
            }
            default -> Optional.empty();
        };
    }

    /** What to do when {@link #find} gives nothing, for error messages. */
    public static String installHint(String name) {
        return switch (name) {
            case FASHION_MNIST -> "install the Debian package " + FashionMnist.DEBIAN_PACKAGE;
            case GLYPHS -> "install fonts (Debian: apt-get install " + String.join(" ", GlyphParams.DEBIAN_FONT_PACKAGES)
                    + ") or set " + GlyphParams.FONTS_ENV + " to a directory of TTF/OTF files";
            default -> "built-in datasets are " + NAMES;
        };
    }
}
