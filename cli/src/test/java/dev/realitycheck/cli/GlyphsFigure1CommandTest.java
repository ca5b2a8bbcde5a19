package dev.realitycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.realitycheck.data.MnistDirectory;
import dev.realitycheck.data.MnistSplit;
import dev.realitycheck.data.Npy;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code realitycheck glyphs} and {@code realitycheck figure1} as users run them. */
@QuarkusMainTest
class GlyphsFigure1CommandTest {

    private static final Path DEJAVU = Path.of("/usr/share/fonts/truetype/dejavu");

    @TempDir
    Path dir;

    @Test
    void glyphsWritesAnIdxDirectoryAndExportsTheHeldOutClasses(QuarkusMainLauncher launcher) throws Exception {
        assumeTrue(Files.isDirectory(DEJAVU), "fonts-dejavu-core is not installed");
        Path out = dir.resolve("glyphs");
        Path npy = dir.resolve("npy");
        LaunchResult result = launcher.launch("glyphs", "--fonts", DEJAVU.toString(), "--out", out.toString(),
                "--export-test-npy", npy.toString());
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        Matcher m = Pattern.compile("(\\d+) classes \\((\\d+) train/validation, (\\d+) held-out test\\)").matcher(result.getOutput());
        assertThat(m.find()).as(result.getOutput()).isTrue();
        int classes = Integer.parseInt(m.group(1));
        assertThat(classes).isGreaterThan(100);
        assertThat(MnistDirectory.load(out, MnistSplit.ALL).labels()).hasSizeGreaterThan(classes * 12);
        int[] testLabels = Npy.readLabels(npy.resolve("test-y.npy"));
        assertThat(testLabels).isNotEmpty();
        assertThat(java.util.Arrays.stream(testLabels).min().orElseThrow()).isEqualTo(classes / 2);
        assertThat(Npy.readFloatMatrix(npy.resolve("test-x.npy")).rows()).isEqualTo(testLabels.length);
    }

    @Test
    void glyphsNamesAMissingFontDirectoryAndExitsWith2(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("glyphs", "--fonts", dir.resolve("none").toString(), "--out", dir.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.getErrorOutput()).contains(dir.resolve("none").toString(), "font directory does not exist");
    }

    @Test
    void figure1PrintsPerfectPrecisionAtOneAndThreeDifferentMapAtR(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("figure1");
        assertThat(result.exitCode()).isZero();
        Matcher m = Pattern.compile("(?m)^(compact|strips|clumps) .*?(\\d\\.\\d{3})\\s+(\\d\\.\\d{3})\\s+(\\d\\.\\d{3})$")
                .matcher(result.getOutput());
        double previous = 2;
        int rows = 0;
        while (m.find()) {
            rows++;
            assertThat(Double.parseDouble(m.group(2))).as(m.group(1) + " P@1").isGreaterThanOrEqualTo(0.99);
            double map = Double.parseDouble(m.group(4));
            assertThat(map).as(m.group(1) + " MAP@R").isLessThan(previous - 0.2);
            previous = map;
        }
        assertThat(rows).as(result.getOutput()).isEqualTo(3);
    }
}
