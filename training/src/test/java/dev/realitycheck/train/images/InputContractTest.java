package dev.realitycheck.train.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realitycheck.data.images.RgbImage;
import dev.realitycheck.model.InputSpec;
import dev.realitycheck.model.Preprocessing;
import dev.realitycheck.proto.v1.ColorOrder;
import dev.realitycheck.proto.v1.Crop;
import dev.realitycheck.proto.v1.DatasetFormat;
import dev.realitycheck.proto.v1.Resampling;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InputContractTest {

    @Test
    void anImageDatasetModelsContractIsTheEvaluationTransformAndRoundTrips() {
        InputSpec input = InputSpec.image(227, 227, 3, Preprocessing.bnInception());
        var contract = InputContract.toProto(input, true);
        assertThat(contract.getShapeList()).containsExactly(227L, 227L, 3L);
        assertThat(contract.getColorMode()).isEqualTo("rgb");
        assertThat(contract.getColorOrder()).isEqualTo(ColorOrder.COLOR_ORDER_BGR);
        assertThat(contract.getResizeShorterSide()).isEqualTo(256);
        assertThat(contract.getCrop()).isEqualTo(Crop.CROP_CENTER);
        assertThat(contract.getResampling()).isEqualTo(Resampling.RESAMPLING_PILLOW_BILINEAR);
        assertThat(InputContract.model(contract)).isEqualTo(input);
        assertThat(InputContract.transform(contract)).isEqualTo(EvaluationTransform.forInput(input));
        Normalisation pixels = InputContract.pixels(contract);
        assertThat(pixels.colourOrder()).isEqualTo(input.preprocessing().colourOrder());
        assertThat(pixels.multiplier()).containsExactly(1f, 1f, 1f);
    }

    @Test
    void aSmallImageModelsContractResizesDirectlyAndAnOldManifestReadsAsRgb() {
        InputSpec input = InputSpec.image(28, 28, 1, Preprocessing.pixels());
        var contract = InputContract.toProto(input, false);
        assertThat(contract.getCrop()).isEqualTo(Crop.CROP_NONE);
        assertThat(contract.getResizeShorterSide()).isZero();
        assertThat(InputContract.model(contract)).isEqualTo(input);
        ImageTransform t = InputContract.transform(contract);
        RgbImage wide = new RgbImage(56, 14, new byte[56 * 14 * 3]);
        RgbImage sized = t.apply(wide, new SplittableRandom(0));
        assertThat(sized.width()).isEqualTo(28);
        assertThat(sized.height()).isEqualTo(28);

        var old = contract.toBuilder().clearColorOrder().clearCrop().clearResampling().clearMean().clearStd()
                .setScale(0).build();
        assertThat(InputContract.model(old).preprocessing()).isEqualTo(Preprocessing.none());
    }

    @Test
    void imageLayoutsAreTheImageDatasets() {
        assertThat(InputContract.isImageDataset(DatasetFormat.DATASET_FORMAT_CUB200)).isTrue();
        assertThat(InputContract.isImageDataset(DatasetFormat.DATASET_FORMAT_IMAGE_FOLDERS)).isTrue();
        assertThat(InputContract.isImageDataset(DatasetFormat.DATASET_FORMAT_IDX)).isFalse();
        assertThat(InputContract.isImageDataset(DatasetFormat.DATASET_FORMAT_UNSPECIFIED)).isFalse();
    }

    @Test
    void aCentreCropWithoutAResizeIsRefused() {
        var bad = InputContract.toProto(InputSpec.image(32, 32, 3, Preprocessing.pixels()), true).toBuilder()
                .setResizeShorterSide(0).build();
        assertThatThrownBy(() -> InputContract.transform(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resize_shorter_side");
    }
}
