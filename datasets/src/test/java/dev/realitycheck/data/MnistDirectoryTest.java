package dev.realitycheck.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistDirectoryTest {

    @TempDir
    Path dir;

    /** Three 2 x 2 training images labelled 0, 1, 2 (gzipped), two test images labelled 5, 6 (raw). */
    @BeforeEach
    void writeMiniatureDataset() throws IOException {
        Idx.writeGzipped(dir.resolve("train-images-idx3-ubyte.gz"),
                IdxArray.ofUnsignedBytes(new int[] {3, 2, 2}, IdxBytes.ubytes(0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2)));
        Idx.writeGzipped(dir.resolve("train-labels-idx1-ubyte.gz"), IdxArray.ofUnsignedByteLabels(new int[] {0, 1, 2}));
        Idx.write(dir.resolve("t10k-images-idx3-ubyte"),
                IdxArray.ofUnsignedBytes(new int[] {2, 2, 2}, IdxBytes.ubytes(5, 5, 5, 5, 6, 6, 6, 6)));
        Idx.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxArray.ofUnsignedByteLabels(new int[] {5, 6}));
    }

    @Test
    void loadsTrainingSplit() throws IOException {
        LabeledImages train = MnistDirectory.load(dir, MnistSplit.TRAIN);

        assertThat(train.count()).isEqualTo(3);
        assertThat(train.labels()).containsExactly(0, 1, 2);
        assertThat(train.pixel(2, 1, 1)).isEqualTo(2);
    }

    @Test
    void loadsTestSplit() throws IOException {
        LabeledImages test = MnistDirectory.load(dir, MnistSplit.TEST);

        assertThat(test.labels()).containsExactly(5, 6);
        assertThat(test.height()).isEqualTo(2);
        assertThat(test.width()).isEqualTo(2);
    }

    @Test
    void loadsBothSplitsTrainingFirst() throws IOException {
        LabeledImages all = MnistDirectory.load(dir, MnistSplit.ALL);

        assertThat(all.labels()).containsExactly(0, 1, 2, 5, 6);
        assertThat(all.pixel(4, 0, 0)).isEqualTo(6);
    }

    @Test
    void prefersTheRawFileWhenBothExist() throws IOException {
        Idx.write(dir.resolve("train-labels-idx1-ubyte"), IdxArray.ofUnsignedByteLabels(new int[] {9, 9, 9}));

        assertThat(MnistDirectory.resolve(dir, MnistDirectory.TRAIN_LABELS)).isEqualTo(dir.resolve("train-labels-idx1-ubyte"));
        assertThat(MnistDirectory.load(dir, MnistSplit.TRAIN).labels()).containsExactly(9, 9, 9);
    }

    @Test
    void reportsAMissingFileNamingBothSpellings() throws IOException {
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));

        assertThat(MnistDirectory.isComplete(dir)).isFalse();
        assertThatThrownBy(() -> MnistDirectory.load(dir, MnistSplit.ALL))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("neither t10k-labels-idx1-ubyte nor t10k-labels-idx1-ubyte.gz is in " + dir);
    }

    @Test
    void knowsWhenAllFourFilesArePresent() {
        assertThat(MnistDirectory.isComplete(dir)).isTrue();
        assertThat(MnistDirectory.isComplete(dir.resolve("nowhere"))).isFalse();
    }

    @Test
    void rejectsTestImagesOfADifferentSize() throws IOException {
        Path testImages = dir.resolve("t10k-images-idx3-ubyte");
        Idx.write(testImages, IdxArray.ofUnsignedBytes(new int[] {2, 1, 4}, new byte[8]));

        assertThatThrownBy(() -> MnistDirectory.load(dir, MnistSplit.ALL))
                .isInstanceOf(IdxFormatException.class)
                .hasMessage(testImages + ": dimension mismatch: 1 x 4 images, but the training images are 2 x 2");
    }
}
