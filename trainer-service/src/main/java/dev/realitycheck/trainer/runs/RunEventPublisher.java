package dev.realitycheck.trainer.runs;

import dev.realitycheck.proto.v1.RunEvent;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.Topics;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Publishes this pod's {@link RunEvent}s on {@code realitycheck.run-events}, key = run id (so one
 * run's events stay in order on one partition). Sends are asynchronous; a failed send is logged.
 * {@link #flush()} waits until everything sent so far is acknowledged (the trainer loop flushes
 * before it commits a finished run).
 */
public final class RunEventPublisher implements RunStore.EventSink, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RunEventPublisher.class);

    private final Producer<String, byte[]> producer;
    private final String topic;

    /**
     * @param bootstrapServers Kafka bootstrap servers
     * @param topic            {@link Topics#RUN_EVENTS} (another in tests)
     * @param maxBlock         longest a send may block when the broker is unreachable
     */
    public RunEventPublisher(String bootstrapServers, String topic, Duration maxBlock) {
        Properties p = KafkaSettings.producer(bootstrapServers, "trainer-run-events");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(maxBlock.toMillis()));
        this.producer = new KafkaProducer<>(p);
        this.topic = topic;
    }

    @Override
    public void publish(RunEvent event) {
        String runId = event.getSpec().getRunId();
        try {
            producer.send(new ProducerRecord<>(topic, runId, event.toByteArray()), (metadata, e) -> {
                if (e != null) {
                    LOG.warnf("run event of %s (%s) not published: %s", runId, event.getState(), e.toString());
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf("run event of %s (%s) not published: %s", runId, event.getState(), e.toString());
        }
    }

    /** Waits until every event sent so far is acknowledged (or failed). */
    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
