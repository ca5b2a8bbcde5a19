package dev.realitycheck.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The colour order of {@link Preprocessing}: RGB unless given, and the trunk presets. */
class PreprocessingColourOrderTest {

    @Test
    void theThreeValueFormIsRgbAndEqualToTheExplicitOne() {
        Preprocessing p = new Preprocessing(0.5f, List.of(1f), List.of(2f));
        assertThat(p.colourOrder()).isEqualTo(ColourOrder.RGB);
        assertThat(p).isEqualTo(new Preprocessing(0.5f, List.of(1f), List.of(2f), ColourOrder.RGB));
        assertThat(Preprocessing.pixels().colourOrder()).isEqualTo(ColourOrder.RGB);
    }

    @Test
    void bnInceptionIsBgrPixelsMinusTheCaffeMeans() {
        Preprocessing p = Preprocessing.bnInception();
        assertThat(p.colourOrder()).isEqualTo(ColourOrder.BGR);
        assertThat(p.multiplier(0)).isEqualTo(1f);
        assertThat(new float[] {p.offset(0), p.offset(1), p.offset(2)}).containsExactly(-104f, -117f, -128f);
        assertThat(ColourOrder.BGR.sourceChannel(0)).isEqualTo(2);
        assertThat(ColourOrder.RGB.sourceChannel(0)).isZero();
    }

    @Test
    void kerasCaffeIsBgrPixelsMinusTheImagenetMeansInBgrOrderAndResNet50KerasUsesIt() {
        Preprocessing p = Preprocessing.caffe();
        assertThat(p.colourOrder()).isEqualTo(ColourOrder.BGR);
        assertThat(p.multiplier(1)).isEqualTo(1f);
        assertThat(new float[] {p.offset(0), p.offset(1), p.offset(2)}).containsExactly(-103.939f, -116.779f, -123.68f);
        assertThat(ResNetVariant.RESNET50_KERAS.preprocessing()).isEqualTo(p);
        assertThat(ResNetVariant.RESNET50.preprocessing()).isEqualTo(Preprocessing.imagenet());
    }

    @Test
    void imagenetIsRgbScaledAndStandardised() {
        Preprocessing p = Preprocessing.imagenet();
        assertThat(p.colourOrder()).isEqualTo(ColourOrder.RGB);
        assertThat(p.multiplier(2)).isEqualTo((1f / 255f) / 0.225f);
        assertThat(p.offset(0)).isEqualTo(-0.485f / 0.229f);
    }

    @Test
    void aMissingColourOrderIsRefused() {
        assertThatThrownBy(() -> new Preprocessing(1f, List.of(0f), List.of(1f), null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("colourOrder");
    }
}
