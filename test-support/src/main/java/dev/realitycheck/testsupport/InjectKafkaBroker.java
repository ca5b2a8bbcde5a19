package dev.realitycheck.testsupport;

import dev.realitycheck.kafka.LocalKafkaBroker;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link LocalKafkaBroker} field of a {@code @QuarkusTest} class into which
 * {@link KafkaBrokerTestResource} injects the broker it started:
 * {@code @InjectKafkaBroker LocalKafkaBroker kafka;}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface InjectKafkaBroker {
}
