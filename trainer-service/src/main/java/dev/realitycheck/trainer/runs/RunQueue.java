package dev.realitycheck.trainer.runs;

import dev.realitycheck.proto.v1.ExperimentRecord;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.trainer.TrainerConfig;
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

/**
 * Queues runs: publishes each {@link RunSpec} on {@code realitycheck.runs}, key = run id, waits for
 * the acks, then has the {@link RunStore} publish their QUEUED {@code RunEvent}s so every pod lists
 * them. Also publishes accepted experiments on {@code realitycheck.experiments}.
 */
@ApplicationScoped
public class RunQueue {

    @Inject
    TrainerConfig config;

    @Inject
    RunStore store;

    @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "127.0.0.1:9092")
    String bootstrapServers;

    private Producer<String, byte[]> producer;

    /**
     * Publishes the runs in order, waits until the broker acknowledged all of them, then publishes their QUEUED events.
     *
     * @throws QueueUnavailableException if the broker does not acknowledge in time
     */
    public void publish(List<RunSpec> runs) {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try {
            for (RunSpec run : runs) {
                acks.add(producer().send(new ProducerRecord<>(Topics.RUNS, run.getRunId(), run.toByteArray())));
            }
        } catch (RuntimeException e) {
            throw new QueueUnavailableException("the broker at " + bootstrapServers + " did not accept the runs on "
                    + Topics.RUNS + ": " + e, e);
        }
        await(acks, "the runs on " + Topics.RUNS);
        store.queued(runs);
    }

    /**
     * Publishes an accepted experiment on {@code realitycheck.experiments} (key = experiment id) and
     * waits for the ack: the search coordinator drives an experiment's searches from it.
     *
     * @throws QueueUnavailableException if the broker does not acknowledge in time
     */
    public void publish(ExperimentRecord experiment) {
        await(List.of(producer().send(new ProducerRecord<>(Topics.EXPERIMENTS, experiment.getExperimentId(),
                experiment.toByteArray()))), "the experiment on " + Topics.EXPERIMENTS);
    }

    private void await(List<Future<RecordMetadata>> acks, String what) {
        Duration timeout = config.publishTimeout();
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueueUnavailableException("interrupted while publishing " + what, e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw new QueueUnavailableException("the broker at " + bootstrapServers + " did not accept " + what
                    + " within " + timeout + ": " + (e.getCause() != null ? e.getCause() : e), e);
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
