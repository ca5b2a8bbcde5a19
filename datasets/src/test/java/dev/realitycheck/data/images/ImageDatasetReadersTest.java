package dev.realitycheck.data.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realitycheck.split.ClassSplit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDatasetReadersTest {

    @TempDir
    Path tmp;

    @Test
    void detectsEachLayoutFromItsFiles() throws IOException {
        assertThat(ImageLayout.detect(ImageDatasetFixtures.cub(tmp.resolve("cub"), 2, 1))).isEqualTo(ImageLayout.CUB200);
        assertThat(ImageLayout.detect(ImageDatasetFixtures.cars196(tmp.resolve("cars"), 2, 1))).isEqualTo(ImageLayout.CARS196);
        assertThat(ImageLayout.detect(ImageDatasetFixtures.sop(tmp.resolve("sop"), 2, 1))).isEqualTo(ImageLayout.SOP);
        assertThat(ImageLayout.detect(ImageDatasetFixtures.imageFolders(tmp.resolve("folders"), 2, 1)))
                .isEqualTo(ImageLayout.IMAGE_FOLDERS);
        Files.createDirectories(tmp.resolve("flat"));
        Files.writeString(tmp.resolve("flat/readme.txt"), "no images");
        assertThatThrownBy(() -> ImageLayout.detect(tmp.resolve("flat"))).isInstanceOf(IOException.class)
                .hasMessageContaining("no known dataset layout").hasMessageContaining("cars_annos.mat");
    }

    @Test
    void cubLabelsFollowClassIdsAndSplitFirstHalfIntoFourFolds() throws IOException {
        ImageDataset cub = ImageDatasets.read(ImageDatasetFixtures.cub(tmp.resolve("cub"), 8, 3));
        assertThat(cub.layout()).isEqualTo(ImageLayout.CUB200);
        assertThat(cub.size()).isEqualTo(24);
        assertThat(cub.classNames()).hasSize(8).first().isEqualTo("001.Bird_1");
        assertThat(cub.entries().get(0).path()).isEqualTo("images/001.Bird_1/Bird_1_0000.png");
        assertThat(cub.entries().get(3).label()).isEqualTo(1);
        assertThat(cub.classSizes()).containsOnly(3);
        ClassSplit split = cub.split(4);
        assertThat(split.trainClasses()).containsExactly(0, 1, 2, 3);
        assertThat(split.testClasses()).containsExactly(4, 5, 6, 7);
        assertThat(split.validationClasses(2)).containsExactly(2);
        assertThat(ClassSplit.select(cub.labels(), split.trainingClasses(2))).hasSize(9);
        assertThat(cub.problems()).isEmpty();
    }

    @Test
    void carsAreReadFromTheMatFile() throws IOException {
        ImageDataset cars = ImageDatasets.read(ImageDatasetFixtures.cars196(tmp.resolve("cars"), 4, 2));
        assertThat(cars.layout()).isEqualTo(ImageLayout.CARS196);
        assertThat(cars.classNames()).containsExactly("Car Model 1", "Car Model 2", "Car Model 3", "Car Model 4");
        assertThat(cars.entries().get(2).path()).startsWith("car_ims/000003.");
        assertThat(cars.labels()).containsExactly(0, 0, 1, 1, 2, 2, 3, 3);
        assertThat(cars.split(2).testClasses()).containsExactly(2, 3);
    }

    @Test
    void sopMergesTrainAndTestListsAndResplitsByClass() throws IOException {
        ImageDataset sop = ImageDatasets.read(ImageDatasetFixtures.sop(tmp.resolve("sop"), 6, 2));
        assertThat(sop.layout()).isEqualTo(ImageLayout.SOP);
        assertThat(sop.size()).isEqualTo(12);
        assertThat(sop.classNames()).containsExactly("1", "2", "3", "4", "5", "6");
        assertThat(sop.split(1).trainClasses()).containsExactly(0, 1, 2);
    }

    @Test
    void imageFoldersSortClassesByFolderNameAndSkipOtherFiles() throws IOException {
        Path root = ImageDatasetFixtures.imageFolders(tmp.resolve("folders"), 3, 2);
        Files.writeString(root.resolve("class-01/notes.txt"), "not an image");
        Files.createDirectories(root.resolve(".hidden"));
        ImageDataset folders = ImageDatasets.read(root);
        assertThat(folders.classNames()).containsExactly("class-00", "class-01", "class-02");
        assertThat(folders.size()).isEqualTo(6);
        assertThat(folders.entries()).extracting(ImageEntry::path).doesNotContain("class-01/notes.txt");
    }

    @Test
    void aMissingListedFileIsAnErrorNamingIt() throws IOException {
        Path root = ImageDatasetFixtures.cub(tmp.resolve("cub"), 2, 2);
        Files.delete(root.resolve("images/002.Bird_2/Bird_2_0001.png"));
        assertThatThrownBy(() -> ImageDatasets.read(root)).isInstanceOf(IOException.class)
                .hasMessageContaining("1 file(s) listed in images.txt missing: images/002.Bird_2/Bird_2_0001.png");
    }

    @Test
    void zeroByteFilesAndLoneImagesAreReportedAsProblems() throws IOException {
        Path root = ImageDatasetFixtures.imageFolders(tmp.resolve("folders"), 2, 3);
        ImageDatasetFixtures.empty(root.resolve("class-00/img-002.jpg"));
        Files.createDirectories(root.resolve("class-02"));
        ImageDatasetFixtures.write(ImageDatasetFixtures.picture(3, 0, 40, 30), "png", root.resolve("class-02/only.png"));
        ImageDataset dataset = ImageDatasets.read(root);
        assertThat(dataset.problems()).containsExactly("class-00/img-002.jpg: zero bytes",
                "class 2 'class-02': one image (accepted; a lone query)");
    }

    @Test
    void fingerprintIsStableAcrossReadsAndMovesAndChangesWithTheFiles() throws IOException {
        Path root = ImageDatasetFixtures.imageFolders(tmp.resolve("a"), 2, 2);
        String first = ImageDatasets.read(root).fingerprint();
        assertThat(first).hasSize(DatasetFingerprint.HEX_DIGITS).matches("[0-9a-f]+");
        assertThat(ImageDatasets.read(root).fingerprint()).isEqualTo(first);
        Path moved = Files.move(root, tmp.resolve("b"));
        assertThat(ImageDatasets.read(moved).fingerprint()).isEqualTo(first);
        Files.writeString(moved.resolve("class-00/img-000.png"), "x", java.nio.file.StandardOpenOption.APPEND);
        String grown = ImageDatasets.read(moved).fingerprint();
        assertThat(grown).isNotEqualTo(first);
        ImageDatasetFixtures.write(ImageDatasetFixtures.picture(1, 9, 30, 30), "png", moved.resolve("class-01/new.png"));
        assertThat(ImageDatasets.read(moved).fingerprint()).isNotEqualTo(grown).isNotEqualTo(first);
    }

    @Test
    void entriesRejectPathsLeavingTheRoot() {
        assertThatThrownBy(() -> new ImageEntry("../etc/passwd", 0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inside the root");
        assertThatThrownBy(() -> new ImageEntry("/abs.jpg", 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
