package dev.realitycheck.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTestProfile.TestResourceEntry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A service's profile gets the broker first, then its own resources and configuration. */
class BrokerTestProfileTest {

  /** A profile as a service writes one. */
  public static class ServiceProfile extends BrokerTestProfile {
    public ServiceProfile() {
      super(Map.of("realitycheck.trainer.consume-runs", "true"),
          TinyDatasetResource.entry("realitycheck.trainer", 8, "tiny"));
    }
  }

  @Test
  void theBrokerComesFirstThenTheServicesResourcesAndConfiguration() {
    ServiceProfile profile = new ServiceProfile();

    assertThat(profile.testResources()).extracting(TestResourceEntry::getClazz)
        .containsExactly(KafkaBrokerTestResource.class, TinyDatasetResource.class);
    assertThat(profile.testResources().get(1).getArgs()).containsEntry("config-prefix", "realitycheck.trainer");
    assertThat(profile.getConfigOverrides()).containsExactly(Map.entry("realitycheck.trainer.consume-runs", "true"));
  }
}
