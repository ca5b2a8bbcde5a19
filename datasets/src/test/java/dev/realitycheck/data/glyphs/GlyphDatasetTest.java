package dev.realitycheck.data.glyphs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realitycheck.split.ClassSplit;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GlyphDatasetTest {

    private GlyphDataset full;

    @BeforeAll
    void generateFromTheInstalledFonts() throws Exception {
        full = GlyphDataset.generate(GlyphParams.of(List.of(InstalledFonts.all())));
    }

    @Test
    void theInstalledDebianFontsGiveAtLeast200ClassesOf20Images() {
        assertThat(full.classes()).hasSizeGreaterThanOrEqualTo(200);
        assertThat(full.minInstances()).isGreaterThanOrEqualTo(20);
        assertThat(full.typefaces()).hasSizeGreaterThanOrEqualTo(100)
                .doesNotContain("Standard Symbols PS", "D050000L", "Linux Biolinum Keyboard O", "Go Smallcaps");
        assertThat(full.classes()).allSatisfy(c -> assertThat(c.typefaces()).isGreaterThanOrEqualTo(GlyphParams.DEFAULT_MIN_TYPEFACES));
    }

    @Test
    void everyImageCarriesTheLabelOfItsClassAndTheCountsAgree() {
        Map<Integer, Integer> perLabel = new HashMap<>();
        for (int label : full.images().labels()) {
            perLabel.merge(label, 1, Integer::sum);
        }
        assertThat(perLabel).hasSize(full.classes().size());
        for (int i = 0; i < full.classes().size(); i++) {
            GlyphClass c = full.classes().get(i);
            assertThat(c.label()).isEqualTo(i);
            assertThat(perLabel.get(i)).as("images of %s", c.character()).isEqualTo(c.instances());
        }
        assertThat(full.classes().stream().map(GlyphClass::codePoint).distinct().count()).isEqualTo(full.classes().size());
        assertThat(full.images().height()).isEqualTo(28);
        assertThat(full.images().width()).isEqualTo(28);
    }

    @Test
    void heldOutClassesAreTheSecondHalfOfEveryGroupAndEveryFoldMixesScripts() {
        ClassSplit split = ClassSplit.of(full.images().labels(), 4);
        Map<String, List<Integer>> testByGroup = groupPositions(split.testClasses());
        Map<String, List<Integer>> trainByGroup = groupPositions(split.trainClasses());
        for (GlyphGroup group : GlyphAlphabet.GROUPS) {
            List<Integer> train = trainByGroup.getOrDefault(group.name(), List.of());
            List<Integer> test = testByGroup.getOrDefault(group.name(), List.of());
            assertThat(train).as(group.name()).isNotEmpty();
            assertThat(test).as(group.name()).isNotEmpty();
            // within each group, every training character comes before every test character
            assertThat(train.stream().mapToInt(Integer::intValue).max().orElseThrow())
                    .as(group.name()).isLessThan(test.stream().mapToInt(Integer::intValue).min().orElseThrow());
        }
        assertThat(codePointsOf(split.trainClasses())).contains((int) 'A', (int) 'a', (int) '0', (int) 'α', (int) 'б')
                .doesNotContain((int) 'Z', (int) 'z', (int) '9', (int) 'ω', (int) 'я');
        for (int fold = 0; fold < 4; fold++) {
            Set<String> groups = Arrays.stream(split.validationClasses(fold))
                    .mapToObj(l -> full.classes().get(l).group()).collect(Collectors.toSet());
            assertThat(groups).as("groups validated in fold %d", fold).hasSizeGreaterThanOrEqualTo(8);
        }
    }

    private Map<String, List<Integer>> groupPositions(int[] labels) {
        Map<String, List<Integer>> out = new HashMap<>();
        for (int label : labels) {
            GlyphClass c = full.classes().get(label);
            GlyphGroup group = GlyphAlphabet.GROUPS.stream().filter(g -> g.name().equals(c.group())).findFirst().orElseThrow();
            out.computeIfAbsent(c.group(), g -> new java.util.ArrayList<>()).add(group.codePoints().indexOf(c.codePoint()));
        }
        return out;
    }

    private Set<Integer> codePointsOf(int[] labels) {
        Set<Integer> out = new HashSet<>();
        for (int label : labels) {
            out.add(full.classes().get(label).codePoint());
        }
        return out;
    }

    @Test
    void theSameFontsGiveBitIdenticalImages() throws Exception {
        GlyphParams params = GlyphParams.of(List.of(InstalledFonts.dejavu()));
        GlyphDataset first = GlyphDataset.generate(params);
        GlyphDataset second = GlyphDataset.generate(params);
        assertThat(first.images().count()).isGreaterThan(1000);
        assertThat(second.images()).isEqualTo(first.images());
        assertThat(second.classes()).isEqualTo(first.classes());
    }

    @Test
    void augmentedCopiesFillClassesUpToTheInstanceCountDeterministically() throws Exception {
        GlyphParams params = new GlyphParams(List.of(InstalledFonts.dejavu()), 40, 12, 7,
                GlyphParams.DEFAULT_EXCLUDED_FAMILIES);
        GlyphDataset dataset = GlyphDataset.generate(params);
        assertThat(dataset.classes()).allSatisfy(c -> assertThat(c.instances()).isEqualTo(Math.max(40, c.typefaces())));
        GlyphClass a = dataset.classes().stream().filter(c -> c.codePoint() == 'A').findFirst().orElseThrow();
        assertThat(a.typefaces()).isLessThan(40);
        int first = Arrays.stream(dataset.images().labels()).takeWhile(l -> l != a.label()).toArray().length;
        byte[] plain = image(dataset, first);
        byte[] copy = image(dataset, first + a.typefaces());
        assertThat(copy).isNotEqualTo(plain);
        GlyphDataset again = GlyphDataset.generate(params);
        assertThat(again.images()).isEqualTo(dataset.images());
        GlyphDataset otherSeed = GlyphDataset.generate(new GlyphParams(params.fontDirectories(), 40, 12, 8,
                params.excludedFamilies()));
        assertThat(otherSeed.images()).isNotEqualTo(dataset.images());
    }

    private static byte[] image(GlyphDataset d, int index) {
        int n = d.images().pixelsPerImage();
        return Arrays.copyOfRange(d.images().pixels(), index * n, (index + 1) * n);
    }

    @Test
    void aMissingFontDirectoryIsNamedWithThePackagesToInstall() {
        Path missing = Path.of("/nonexistent/fonts-for-glyphs");
        assertThatThrownBy(() -> GlyphDataset.generate(GlyphParams.of(List.of(missing))))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("font directory does not exist")
                .hasMessageContaining("fonts-dejavu-core");
    }

    @Test
    void tooFewTypefacesForAnyClassIsAClearError() throws Exception {
        GlyphParams params = new GlyphParams(List.of(InstalledFonts.dejavu()), 24, 1000, 0, List.of());
        assertThatThrownBy(() -> GlyphDataset.generate(params))
                .hasMessageContaining("drawn by at least 1000 of the")
                .hasMessageContaining("install more fonts");
    }
}
