package dev.realitycheck.testsupport;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Quarkus test profile for a service running against a real broker: its test resources are
 * {@link KafkaBrokerTestResource} (which sets {@code kafka.bootstrap.servers}) and those given,
 * its configuration overrides those given. A service's profile is a subclass with a no-argument
 * constructor, as Quarkus builds it:
 *
 * <pre>{@code
 * public class PipelineTestProfile extends BrokerTestProfile {
 *   public PipelineTestProfile() {
 *     super(Map.of("realitycheck.trainer.consume-runs", "true"),
 *         TinyDatasetResource.entry("realitycheck.trainer", 8, "tiny"));
 *   }
 * }
 * }</pre>
 */
public abstract class BrokerTestProfile implements QuarkusTestProfile {

  private final Map<String, String> configOverrides;
  private final List<TestResourceEntry> testResources;

  /**
   * The profile of a subclass.
   *
   * @param configOverrides the service's configuration for these tests
   * @param moreResources test resources started after the broker's
   */
  protected BrokerTestProfile(Map<String, String> configOverrides, TestResourceEntry... moreResources) {
    this.configOverrides = Map.copyOf(configOverrides);
    List<TestResourceEntry> resources = new ArrayList<>();
    resources.add(new TestResourceEntry(KafkaBrokerTestResource.class));
    resources.addAll(List.of(moreResources));
    this.testResources = List.copyOf(resources);
  }

  @Override
  public Map<String, String> getConfigOverrides() {
    return configOverrides;
  }

  @Override
  public List<TestResourceEntry> testResources() {
    return testResources;
  }
}
