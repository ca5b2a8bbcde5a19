package dev.realitycheck.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerLibTest {

  @Test
  void foundWithoutConfigurationInThisRepository() {
    assertThat(System.getProperty(BrokerLib.PROPERTY)).isNull();
    Path lib = BrokerLib.locate();
    assertThat(lib).isEqualTo(Path.of("target/broker-lib").toAbsolutePath());
    assertThat(lib.toFile().list((d, name) -> name.startsWith("kafka_2.13-"))).hasSize(1);
    assertThat(lib.toFile().list((d, name) -> name.startsWith("log4j-slf4j2-impl-"))).hasSize(1);
  }

  @Test
  void anExplicitWrongDirectoryIsAClearError(@TempDir Path empty) {
    System.setProperty(BrokerLib.PROPERTY, empty.toString());
    try {
      assertThatThrownBy(BrokerLib::locate).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("has no kafka_2.13 jar")
          .hasMessageContaining("./mvnw -B -pl deploy/kafka-broker -am package");
    } finally {
      System.clearProperty(BrokerLib.PROPERTY);
    }
  }
}
