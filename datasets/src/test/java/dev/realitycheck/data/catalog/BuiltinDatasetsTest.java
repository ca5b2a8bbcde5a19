package dev.realitycheck.data.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.realitycheck.data.FashionMnist;
import dev.realitycheck.data.MnistDirectory;
import dev.realitycheck.data.MnistSplit;
import dev.realitycheck.data.glyphs.GlyphCache;
import dev.realitycheck.data.glyphs.GlyphParams;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuiltinDatasetsTest {

    private static final Path DEJAVU = Path.of("/usr/share/fonts/truetype/dejavu");

    @TempDir
    Path cache;

    @Test
    void glyphsIsGeneratedIntoTheCacheOnFirstUseAndFoundThereAfterwards() throws Exception {
        assumeTrue(Files.isDirectory(DEJAVU), "fonts-dejavu-core is not installed");
        String fonts = System.getProperty(GlyphParams.FONTS_PROPERTY);
        String root = System.getProperty(GlyphCache.CACHE_PROPERTY);
        System.setProperty(GlyphParams.FONTS_PROPERTY, DEJAVU.toString());
        System.setProperty(GlyphCache.CACHE_PROPERTY, cache.toString());
        try {
            Path dir = BuiltinDatasets.find(BuiltinDatasets.GLYPHS).orElseThrow();
            assertThat(dir.getParent()).isEqualTo(cache);
            assertThat(MnistDirectory.isComplete(dir)).isTrue();
            assertThat(MnistDirectory.load(dir, MnistSplit.ALL).count()).isGreaterThan(1000);
            assertThat(BuiltinDatasets.find(BuiltinDatasets.GLYPHS)).contains(dir);

            System.setProperty(GlyphParams.FONTS_PROPERTY, "/nonexistent/fonts");
            assertThat(BuiltinDatasets.find(BuiltinDatasets.GLYPHS)).isEmpty();
        } finally {
            restore(GlyphParams.FONTS_PROPERTY, fonts);
            restore(GlyphCache.CACHE_PROPERTY, root);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void fashionMnistIsTheDebianPackageAndOtherNamesAreNotBuiltIn() {
        assertThat(BuiltinDatasets.find(BuiltinDatasets.FASHION_MNIST)).isEqualTo(FashionMnist.findDebianInstall());
        assertThat(BuiltinDatasets.find("no-such-dataset")).isEmpty();
        assertThat(BuiltinDatasets.installHint(BuiltinDatasets.GLYPHS)).contains("fonts-dejavu-core", GlyphParams.FONTS_ENV);
        assertThat(BuiltinDatasets.installHint(BuiltinDatasets.FASHION_MNIST)).contains(FashionMnist.DEBIAN_PACKAGE);
    }
}
