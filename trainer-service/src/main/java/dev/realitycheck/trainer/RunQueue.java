package dev.realitycheck.trainer;

import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Queues runs: publishes each {@link RunSpec} on {@code realitycheck.runs}, key = run id, and waits for the acks. */
@ApplicationScoped
public class RunQueue {

    @Inject
    TrainerConfig config;

    @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "127.0.0.1:9092")
    String bootstrapServers;

    private Producer<String, byte[]> producer;

    /**
     * Publishes the runs in order and waits until the broker acknowledged all of them.
     *
     * @throws QueueUnavailableException if the broker does not acknowledge in time
     */
    public void publish(List<RunSpec> runs) {
        Duration timeout = config.publishTimeout();
        try {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (RunSpec run : runs) {
                acks.add(producer().send(new ProducerRecord<>(Topics.RUNS, run.getRunId(), run.toByteArray())));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueueUnavailableException("interrupted while queueing runs", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw new QueueUnavailableException("the broker at " + bootstrapServers + " did not accept the runs on "
                    + Topics.RUNS + " within " + timeout + ": " + (e.getCause() != null ? e.getCause() : e), e);
        }
    }

    private synchronized Producer<String, byte[]> producer() {
        if (producer == null) {
            Properties p = KafkaSettings.producer(bootstrapServers, "trainer-runs-queue");
            long ms = config.publishTimeout().toMillis();
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(ms));
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.max(1000, ms / 2)));
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(Math.max(ms, ms / 2 + 10)));
            producer = new KafkaProducer<>(p);
        }
        return producer;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** The runs could not be queued. */
    public static final class QueueUnavailableException extends RuntimeException {
        QueueUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
