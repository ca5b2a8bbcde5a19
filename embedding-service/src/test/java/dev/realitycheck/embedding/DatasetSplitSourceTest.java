package dev.realitycheck.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realitycheck.data.TinyDataset;
import dev.realitycheck.data.catalog.DataRoots;
import dev.realitycheck.embedding.gallery.DatasetSplitSource;
import dev.realitycheck.embedding.gallery.Gallery;
import dev.realitycheck.embedding.gallery.GalleryIndexFactory;
import dev.realitycheck.embedding.serving.ModelLease;
import dev.realitycheck.embedding.serving.ModelRegistry;
import dev.realitycheck.knn.KnnDistance;
import dev.realitycheck.proto.v1.DatasetSpec;
import dev.realitycheck.proto.v1.Neighbor;
import dev.realitycheck.proto.v1.Split;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * AddToGallery's dataset_split source on a tiny IDX dataset (8 classes of 4x4 images, 7 each):
 * the train half is classes 0-3 in 2 folds (fold 0 validates on 0-1, fold 1 on 2-3), the test
 * classes are 4-7. The items fill a gallery with real SavedModels and are re-embedded on a model change.
 */
class DatasetSplitSourceTest {

    static Path tiny;
    static Path a;
    static Path b;

    @BeforeAll
    static void data() throws Exception {
        Path tmp = TestModels.tempDir();
        tiny = TinyDataset.write(Files.createDirectories(tmp.resolve("tiny")), 8, 7, TestModels.SIDE, 5);
        a = TestModels.packed(tmp, "a", 1);
        b = TestModels.packed(tmp, "b", 2);
    }

    static dev.realitycheck.proto.v1.DatasetSplitSource split(String name, Split split, int fold) {
        return dev.realitycheck.proto.v1.DatasetSplitSource.newBuilder()
                .setDataset(DatasetSpec.newBuilder().setName(name)).setSplit(split).setFold(fold).build();
    }

    /** Data roots holding the tiny dataset's directory. */
    static DataRoots roots() {
        return new DataRoots(List.of(tiny.getParent()), DatasetSplitSource.DATA_ROOTS_SETTING);
    }

    final DatasetSplitSource source = new DatasetSplitSource(Map.of("tiny", tiny), roots());

    @Test
    void validationFoldAndTestClassesBecomeLabelledItems() {
        DatasetSplitSource.Items validation = source.items(split("tiny", Split.SPLIT_VALIDATION, 1), TestModels.SHAPE, 1000);
        assertThat(validation.ids()).hasSize(14).allMatch(id -> id.startsWith("tiny/"));
        assertThat(validation.labels()).containsOnly(2L, 3L);
        assertThat(validation.inputs()).hasSize(14 * TestModels.INPUT);
        DatasetSplitSource.Items test = source.items(split("tiny", Split.SPLIT_TEST, 0), TestModels.SHAPE, 1000);
        assertThat(test.labels()).hasSize(28).containsOnly(4L, 5L, 6L, 7L);
        for (int i = 0; i < test.ids().size(); i++) {
            int index = Integer.parseInt(test.ids().get(i).substring("tiny/".length()));
            assertThat(index % 8).as("TinyDataset labels image i with i %% 8").isEqualTo(test.labels().get(i).intValue());
        }
        for (float v : test.inputs()) {
            assertThat(v).isBetween(0f, 255f);
        }
    }

    @Test
    void aDatasetPathWorksWithoutConfigurationUnderTheDataRootsOnly() {
        dev.realitycheck.proto.v1.DatasetSplitSource byPath = dev.realitycheck.proto.v1.DatasetSplitSource.newBuilder()
                .setDataset(DatasetSpec.newBuilder().setName("other").setPath(tiny.toString()))
                .setSplit(Split.SPLIT_VALIDATION).setFold(0).build();
        assertThat(new DatasetSplitSource(Map.of(), roots()).items(byPath, TestModels.SHAPE, 1000).labels()).containsOnly(0L, 1L);
        DatasetSplitSource elsewhere = new DatasetSplitSource(Map.of(),
                new DataRoots(List.of(tiny.resolve("sub")), DatasetSplitSource.DATA_ROOTS_SETTING));
        assertThatThrownBy(() -> elsewhere.items(byPath, TestModels.SHAPE, 1000)).isInstanceOf(StatusRuntimeException.class)
                .hasMessageContaining("INVALID_ARGUMENT").hasMessageContaining("dataset.path")
                .hasMessageContaining(DatasetSplitSource.DATA_ROOTS_SETTING);
    }

    @Test
    void badRequestsHaveExplicitCodes() {
        assertCode(() -> source.items(split("nope", Split.SPLIT_TEST, 0), TestModels.SHAPE, 1000), Status.Code.NOT_FOUND);
        assertCode(() -> source.items(split("tiny", Split.SPLIT_UNSPECIFIED, 0), TestModels.SHAPE, 1000),
                Status.Code.INVALID_ARGUMENT);
        assertCode(() -> source.items(split("tiny", Split.SPLIT_VALIDATION, 2), TestModels.SHAPE, 1000),
                Status.Code.INVALID_ARGUMENT);
        assertCode(() -> source.items(split("tiny", Split.SPLIT_TEST, 0), List.of(5, 5, 1), 1000),
                Status.Code.INVALID_ARGUMENT);
        assertCode(() -> source.items(split("tiny", Split.SPLIT_TEST, 0), TestModels.SHAPE, 10),
                Status.Code.RESOURCE_EXHAUSTED);
    }

    @Test
    void splitItemsFillAGalleryAndAreReEmbeddedWhenTheModelChanges() throws Exception {
        try (ModelRegistry registry = new ModelRegistry(Policy.LATEST, null, 3, 64, new SimpleMeterRegistry())) {
            registry.load(TestModels.manifest("a", 1), a);
            Gallery gallery = new Gallery("test-split", GalleryIndexFactory.exact(1));
            DatasetSplitSource.Items items = source.items(split("tiny", Split.SPLIT_TEST, 0), TestModels.SHAPE, 1000);
            try (ModelLease lease = registry.lease("")) {
                assertThat(gallery.add(lease, items.inputs(), items.ids(), items.labels(), 1000)).isEqualTo(28);
                List<Neighbor> found = gallery.search(lease, null, items.ids().get(0), 5, KnnDistance.COSINE);
                assertThat(found).hasSize(5).allMatch(n -> n.hasLabel() && n.getLabel() >= 4 && n.getLabel() <= 7);
            }
            assertThat(gallery.checkpointId()).isEqualTo("a");
            registry.load(TestModels.manifest("b", 2), b);
            try (ModelLease lease = registry.lease("")) {
                assertThat(gallery.search(lease, null, items.ids().get(0), 5, KnnDistance.COSINE)).hasSize(5);
            }
            assertThat(gallery.checkpointId()).isEqualTo("b");
            assertThat(gallery.size()).isEqualTo(28);
        }
    }

    private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Status.Code code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
    }
}
