package dev.realitycheck.data.glyphs;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The Debian fonts the glyph tests draw with; tests skip (like the Fashion-MNIST ones) where they are absent. */
final class InstalledFonts {

    /** DejaVu (fonts-dejavu-core and -extra): 22 faces, Latin, Greek and Cyrillic; the small font set of quick tests. */
    static final Path DEJAVU = Path.of("/usr/share/fonts/truetype/dejavu");

    private InstalledFonts() {
    }

    /** Skips the test unless DejaVu is installed. */
    static Path dejavu() throws IOException {
        assumeTrue(Files.isDirectory(DEJAVU) && FontCatalog.fontFiles(List.of(DEJAVU)).size() >= 12,
                "fonts-dejavu-core and fonts-dejavu-extra are not installed");
        return DEJAVU;
    }

    /** Skips the test unless the documented Debian font packages (.ci/run installs them) are there. */
    static Path all() throws IOException {
        Path dir = GlyphParams.DEBIAN_FONT_DIRECTORY;
        assumeTrue(Files.isDirectory(dir) && FontCatalog.fontFiles(List.of(dir)).size() >= 150,
                "the Debian font packages " + GlyphParams.DEBIAN_FONT_PACKAGES + " are not installed");
        return dir;
    }
}
