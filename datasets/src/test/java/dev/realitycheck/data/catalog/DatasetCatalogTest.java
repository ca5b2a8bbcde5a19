package dev.realitycheck.data.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.data.TinyDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCatalogTest {

    @TempDir
    Path tmp;

    @Test
    void aConfiguredDirectoryWinsOverTheDatasetsOwnPathAndIsLoadedOnce() throws IOException {
        Path configured = TinyDataset.write(Files.createDirectories(tmp.resolve("a")), 3, 4, 6, 1);
        Path own = TinyDataset.write(Files.createDirectories(tmp.resolve("b")), 5, 4, 6, 2);
        DatasetCatalog catalog = new DatasetCatalog(Map.of("tiny", configured), "realitycheck.test.datasets", roots());

        assertThat(catalog.locate("tiny", own.toString())).hasValue(configured);
        LabeledImages first = catalog.load("tiny", own.toString());
        assertThat(first.count()).isEqualTo(3 * 4);
        assertThat(catalog.load("tiny", "")).isSameAs(first);
        assertThat(catalog.load("other", own.toString()).count()).isEqualTo(5 * 4);
    }

    private DataRoots roots() {
        return new DataRoots(java.util.List.of(tmp), "realitycheck.test.data-roots");
    }

    @Test
    void aPathOutsideTheDataRootsIsRefusedButAConfiguredNameIsNot() throws IOException {
        Path outside = TinyDataset.write(Files.createDirectories(tmp.resolve("outside")), 3, 4, 6, 1);
        DatasetCatalog catalog = new DatasetCatalog(Map.of("tiny", outside), "realitycheck.test.datasets",
                new DataRoots(java.util.List.of(tmp.resolve("roots")), "realitycheck.test.data-roots"));
        assertThatThrownBy(() -> catalog.locate("other", outside.toString())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dataset.path").hasMessageContaining("realitycheck.test.data-roots");
        assertThatThrownBy(() -> catalog.load("other", outside.toString())).isInstanceOf(IOException.class)
                .hasMessageContaining("outside the data roots");
        assertThat(catalog.load("tiny", "").count()).isEqualTo(12);
    }

    @Test
    void anUnknownDatasetFailsNamingTheSettingToConfigure() {
        DatasetCatalog catalog = new DatasetCatalog(Map.of(), "realitycheck.test.datasets", roots());
        assertThat(catalog.locate("nowhere", "")).isEmpty();
        assertThatThrownBy(() -> catalog.load("nowhere", ""))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("'nowhere'")
                .hasMessageContaining("realitycheck.test.datasets.\"nowhere\"");
    }

    @Test
    void anIncompleteDirectoryIsNotADataset() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        DatasetCatalog catalog = new DatasetCatalog(Map.of("x", empty), "p", roots());
        assertThat(catalog.locate("x", "")).isEmpty();
        assertThat(DatasetCatalog.name("")).isEqualTo(BuiltinDatasets.FASHION_MNIST);
    }
}
