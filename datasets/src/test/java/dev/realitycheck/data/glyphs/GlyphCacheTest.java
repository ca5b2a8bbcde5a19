package dev.realitycheck.data.glyphs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.data.MnistDirectory;
import dev.realitycheck.data.MnistSplit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GlyphCacheTest {

    @TempDir
    Path root;

    @Test
    void theCachedDirectoryLoadsAsAnIdxDatasetEqualToTheGeneratedOne() throws Exception {
        GlyphParams params = GlyphParams.of(List.of(InstalledFonts.dejavu()));
        Path dir = GlyphCache.materialise(params, root);
        assertThat(dir.getParent()).isEqualTo(root);
        assertThat(MnistDirectory.isComplete(dir)).isTrue();

        GlyphDataset generated = GlyphDataset.generate(params);
        LabeledImages all = MnistDirectory.load(dir, MnistSplit.ALL);
        int half = generated.classes().size() / 2;
        assertThat(java.util.stream.IntStream.of(MnistDirectory.load(dir, MnistSplit.TRAIN).labels()).max().orElseThrow()).isEqualTo(half - 1);
        assertThat(java.util.stream.IntStream.of(MnistDirectory.load(dir, MnistSplit.TEST).labels()).min().orElseThrow()).isEqualTo(half);
        // the files hold the same images, train classes first (the generator's order is already by label)
        assertThat(all).isEqualTo(generated.images());

        List<String> table = Files.readAllLines(dir.resolve(GlyphFiles.CLASSES_FILE), StandardCharsets.UTF_8);
        assertThat(table).hasSize(generated.classes().size() + 1);
        assertThat(table.get(1)).startsWith("0\t" + generated.classes().get(0).character() + "\t");
        assertThat(Files.readAllLines(dir.resolve(GlyphFiles.TYPEFACES_FILE))).isEqualTo(generated.typefaces());
    }

    @Test
    void aSecondCallReusesTheDirectoryAndOtherParametersGetAnother() throws Exception {
        GlyphParams params = GlyphParams.of(List.of(InstalledFonts.dejavu()));
        Path dir = GlyphCache.materialise(params, root);
        Path images = MnistDirectory.resolve(dir, MnistDirectory.TRAIN_IMAGES);
        FileTime written = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(images, written);

        assertThat(GlyphCache.materialise(params, root)).isEqualTo(dir);
        assertThat(Files.getLastModifiedTime(images)).as("not regenerated").isEqualTo(written);

        GlyphParams other = new GlyphParams(params.fontDirectories(), 30, params.minTypefaces(), params.seed(),
                params.excludedFamilies());
        assertThat(GlyphCache.materialise(other, root)).isNotEqualTo(dir);
        try (var list = Files.list(root)) {
            assertThat(list.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp-"));
        }
    }

    @Test
    void aRewrittenFontOfTheSameSizeGetsAnotherKeyAndAnUntouchedOneKeepsIt() throws Exception {
        GlyphParams params = GlyphParams.of(List.of(root));
        Path font = root.resolve("a.ttf");
        Files.write(font, new byte[] {1, 2, 3, 4});
        Files.setLastModifiedTime(font, FileTime.fromMillis(1_000_000_000_000L));
        String first = GlyphCache.key(params, List.of(font));
        assertThat(GlyphCache.key(params, List.of(font))).as("same file, same key").isEqualTo(first);

        Files.write(font, new byte[] {1, 2, 3, 5});
        Files.setLastModifiedTime(font, FileTime.fromMillis(1_000_000_001_000L));
        assertThat(GlyphCache.key(params, List.of(font))).as("new contents, new key").isNotEqualTo(first);
    }

    @Test
    void theRootAndFontsComeFromPropertyThenEnvironmentThenDefaults() {
        assertThat(GlyphCache.defaultRoot("/x/cache", Map.of("XDG_CACHE_HOME", "/xdg"), "/home/u")).isEqualTo(Path.of("/x/cache"));
        assertThat(GlyphCache.defaultRoot(null, Map.of("XDG_CACHE_HOME", "/xdg"), "/home/u"))
                .isEqualTo(Path.of("/xdg/realitycheck/glyphs"));
        assertThat(GlyphCache.defaultRoot(null, Map.of(), "/home/u")).isEqualTo(Path.of("/home/u/.cache/realitycheck/glyphs"));
        assertThat(GlyphParams.defaultFontDirectories(null, Map.of())).containsExactly(GlyphParams.DEBIAN_FONT_DIRECTORY);
        assertThat(GlyphParams.defaultFontDirectories(null, Map.of(GlyphParams.FONTS_ENV, "/a" + java.io.File.pathSeparator + "/b")))
                .containsExactly(Path.of("/a"), Path.of("/b"));
        assertThat(GlyphParams.defaultFontDirectories("/p", Map.of(GlyphParams.FONTS_ENV, "/a"))).containsExactly(Path.of("/p"));
    }
}
