package dev.realitycheck.data.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecodedCacheTest {

    @TempDir
    Path tmp;

    @Test
    void cachedPixelsEqualAFreshDecodeAndResize() throws IOException {
        ImageDataset dataset = ImageDatasets.read(ImageDatasetFixtures.cub(tmp.resolve("cub"), 4, 3));
        Path cache = tmp.resolve("cache");
        List<Integer> progress = new ArrayList<>();
        DecodedCache.write(dataset, cache, progress::add);
        assertThat(progress).last().isEqualTo(12);

        ImageSource source = ImageSources.open(dataset, cache);
        assertThat(source).isInstanceOf(CachedImageSource.class);
        assertThat(source.size()).isEqualTo(12);
        for (int i = 0; i < dataset.size(); i++) {
            RgbImage cached = source.read(i);
            RgbImage fresh = ShorterSideResize.apply(ImageDecoder.decode(dataset.file(i)).image(), DecodedCache.SIDE);
            assertThat(Math.min(cached.width(), cached.height())).isEqualTo(DecodedCache.SIDE);
            assertThat(cached.width()).isEqualTo(fresh.width());
            assertThat(cached.rgb()).as("image %d", i).isEqualTo(fresh.rgb());
            assertThat(source.label(i)).isEqualTo(dataset.entries().get(i).label());
        }
    }

    @Test
    void withoutACacheTheFilesAreDecoded() throws IOException {
        ImageDataset dataset = ImageDatasets.read(ImageDatasetFixtures.imageFolders(tmp.resolve("f"), 2, 2));
        ImageSource source = ImageSources.open(dataset, tmp.resolve("no-cache"));
        assertThat(source).isInstanceOf(ImageFileSource.class);
        assertThat(source.read(1).width()).isEqualTo(ImageDecoder.decode(dataset.file(1)).image().width());
    }

    @Test
    void aCacheOfChangedDataIsRefused() throws IOException {
        Path root = ImageDatasetFixtures.imageFolders(tmp.resolve("f"), 2, 2);
        Path cache = tmp.resolve("cache");
        DecodedCache.write(ImageDatasets.read(root), cache, n -> { });
        ImageDatasetFixtures.write(ImageDatasetFixtures.picture(1, 5, 30, 30), "png", root.resolve("class-00/extra.png"));
        ImageDataset changed = ImageDatasets.read(root);
        assertThatThrownBy(() -> ImageSources.open(changed, cache)).isInstanceOf(IOException.class)
                .hasMessageContaining("prepared from different data").hasMessageContaining(changed.fingerprint());
    }

    @Test
    void aFileThatCannotBeDecodedStopsPrepareNamingIt() throws IOException {
        Path root = ImageDatasetFixtures.imageFolders(tmp.resolve("f"), 2, 2);
        ImageDatasetFixtures.corrupt(root.resolve("class-01/img-001.jpg"));
        ImageDataset dataset = ImageDatasets.read(root);
        Path cache = tmp.resolve("cache");
        assertThatThrownBy(() -> DecodedCache.write(dataset, cache, n -> { })).isInstanceOf(IOException.class)
                .hasMessageContaining("class-01/img-001.jpg: not an image");
        assertThat(DecodedCache.exists(cache)).isFalse();
    }
}
