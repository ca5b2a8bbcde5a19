package dev.realitycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.data.images.DecodedCache;
import dev.realitycheck.data.images.ImageDatasetFixtures;
import dev.realitycheck.data.images.ImageDatasets;
import dev.realitycheck.data.images.ImageSources;
import dev.realitycheck.data.images.CachedImageSource;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code realitycheck dataset inspect|prepare} on generated datasets, as users run them. */
@QuarkusMainTest
class DatasetCommandTest {

    @TempDir
    Path dir;

    @Test
    void inspectReportsAGeneratedCub(QuarkusMainLauncher launcher) throws Exception {
        Path cub = ImageDatasetFixtures.cub(dir.resolve("cub"), 8, 3);
        String fingerprint = ImageDatasets.read(cub).fingerprint();
        LaunchResult result = launcher.launch("dataset", "inspect", cub.toString(), "--decode");
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        assertThat(result.getOutput()).contains(
                "layout: CUB200",
                "classes: 8",
                "images: 24 (",
                "train/validation: 4 classes, 12 images (labels 0-3)",
                "test: 4 classes, 12 images (labels 4-7)",
                "fold 0: train 3 classes, 9 images; validation 1 classes, 3 images",
                "fold 3: train 3 classes, 9 images; validation 1 classes, 3 images",
                "fingerprint: " + fingerprint,
                "decoded: 24 ok, 0 failed, 2 converted to 8-bit RGB",
                "converted: images/001.Bird_1/Bird_1_0000.png: grey to RGB",
                "converted: images/001.Bird_1/Bird_1_0001.png: alpha dropped",
                "problems: none");
    }

    @Test
    void inspectNamesFilesThatFailToDecode(QuarkusMainLauncher launcher) throws Exception {
        Path folders = ImageDatasetFixtures.imageFolders(dir.resolve("f"), 2, 3);
        ImageDatasetFixtures.corrupt(folders.resolve("class-01/img-000.jpg"));
        ImageDatasetFixtures.empty(folders.resolve("class-00/img-002.png"));
        LaunchResult result = launcher.launch("dataset", "inspect", folders.toString(), "--decode");
        assertThat(result.exitCode()).isEqualTo(InputException.EXIT_CODE);
        assertThat(result.getOutput()).contains("layout: IMAGE_FOLDERS", "decoded: 4 ok, 2 failed",
                "failed: " + folders.resolve("class-01/img-000.jpg") + ": not an image",
                "failed: " + folders.resolve("class-00/img-002.png") + ": zero bytes",
                "problems: 1", "class-00/img-002.png: zero bytes");

        LaunchResult unknown = launcher.launch("dataset", "inspect", folders.resolve("class-00").toString());
        assertThat(unknown.exitCode()).isEqualTo(InputException.EXIT_CODE);
        assertThat(unknown.getErrorOutput()).contains(folders.resolve("class-00").toString(), "no known dataset layout");
    }

    @Test
    void prepareWritesACacheThatTheReadersThenUse(QuarkusMainLauncher launcher) throws Exception {
        Path cars = ImageDatasetFixtures.cars196(dir.resolve("cars"), 4, 2);
        LaunchResult result = launcher.launch("dataset", "prepare", cars.toString());
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        assertThat(result.getOutput()).contains("decoded cache: " + cars.resolve(DecodedCache.DEFAULT_DIR), "8 images of CARS196");
        assertThat(result.getErrorOutput()).contains("prepare 8/8");
        assertThat(ImageSources.open(ImageDatasets.read(cars))).isInstanceOf(CachedImageSource.class);
        assertThat(launcher.launch("dataset", "inspect", cars.toString()).getOutput()).contains("(up to date)");
    }
}
