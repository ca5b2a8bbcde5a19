package dev.realitycheck.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.data.MnistDirectory;
import dev.realitycheck.data.MnistSplit;
import io.quarkus.test.junit.QuarkusTestProfile.TestResourceEntry;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The dataset resource driven the way Quarkus drives it (entry arguments, init, start). */
class TinyDatasetResourceTest {

  @Test
  void writesTheTinyDatasetAndNamesItForTheService() throws Exception {
    TestResourceEntry entry = TinyDatasetResource.entry("realitycheck.evaluation", 8, "tiny", "fashion-mnist");
    assertThat(entry.getClazz()).isEqualTo(TinyDatasetResource.class);
    TinyDatasetResource resource = new TinyDatasetResource();
    resource.init(entry.getArgs());

    Map<String, String> config = resource.start();

    Path dir = Path.of(config.get("realitycheck.evaluation.datasets.\"tiny\""));
    assertThat(config).containsOnlyKeys("realitycheck.evaluation.datasets.\"tiny\"",
            "realitycheck.evaluation.datasets.\"fashion-mnist\"", "realitycheck.evaluation.work-dir")
        .containsEntry("realitycheck.evaluation.datasets.\"fashion-mnist\"", dir.toString())
        .containsEntry("realitycheck.evaluation.work-dir", dir.resolve("work").toString());
    LabeledImages train = MnistDirectory.load(dir, MnistSplit.TRAIN);
    LabeledImages test = MnistDirectory.load(dir, MnistSplit.TEST);
    assertThat(train.height()).isEqualTo(8);
    assertThat(train.width()).isEqualTo(8);
    assertThat(train.count() + test.count())
        .isEqualTo(TinyDatasetResource.CLASSES * TinyDatasetResource.PER_CLASS);
    assertThat(IntStream.range(0, train.count()).map(train::label).distinct().count())
        .isEqualTo(TinyDatasetResource.CLASSES);
  }

  @Test
  void withoutItsArgumentsItSaysHowToConfigureIt() {
    assertThatThrownBy(() -> new TinyDatasetResource().init(Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TinyDatasetResource.entry");
  }
}
