package dev.realitycheck.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Reads the real Fashion-MNIST files when the Debian package {@code dataset-fashion-mnist} is installed. */
class FashionMnistInstalledTest {

    @Test
    void installedDatasetHas60000TrainAnd10000TestImagesOf28x28With7000PerClass() throws IOException {
        assumeTrue(FashionMnist.findDebianInstall().isPresent(),
                "Fashion-MNIST is not installed in " + FashionMnist.DEBIAN_DIRECTORY
                        + " (apt-get install " + FashionMnist.DEBIAN_PACKAGE + ")");

        LabeledImages train = FashionMnist.loadDebianInstall(MnistSplit.TRAIN);
        LabeledImages test = FashionMnist.loadDebianInstall(MnistSplit.TEST);
        LabeledImages all = train.concat(test);

        assertThat(train.count()).isEqualTo(60_000);
        assertThat(test.count()).isEqualTo(10_000);
        assertThat(all.height()).isEqualTo(28);
        assertThat(all.width()).isEqualTo(28);
        assertThat(IntStream.of(all.labels()).min()).hasValue(0);
        assertThat(IntStream.of(all.labels()).max()).hasValue(9);
        int[] perClass = new int[FashionMnist.CLASS_NAMES.size()];
        for (int label : all.labels()) {
            perClass[label]++;
        }
        assertThat(perClass).containsOnly(FashionMnist.IMAGES_PER_CLASS);
        assertThat(IntStream.range(0, all.pixels().length).map(i -> all.pixels()[i] & 0xFF).max()).hasValue(255);
    }
}
