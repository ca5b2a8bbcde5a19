package dev.realitycheck.evaluation.progress;

import dev.realitycheck.proto.v1.EvaluationProgress;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Publishes each {@link EvaluationProgress} on {@code realitycheck.evaluation-progress} (key = run id)
 * without waiting for the broker's acknowledgement: a lost progress record costs a client one line,
 * while waiting would slow every evaluation. The producer is created on the first event, so a service
 * that scores nothing never connects.
 */
public final class KafkaProgressPublisher implements ScoringProgress, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaProgressPublisher.class);

    private final String bootstrapServers;
    private Producer<String, byte[]> producer;
    private boolean closed;

    /** @param bootstrapServers the Kafka bootstrap servers */
    public KafkaProgressPublisher(String bootstrapServers) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers must not be blank");
        }
        this.bootstrapServers = bootstrapServers;
    }

    @Override
    public synchronized void report(EvaluationProgress event) {
        if (closed) {
            return;
        }
        if (producer == null) {
            java.util.Properties props = KafkaSettings.producer(bootstrapServers, "evaluation-progress");
            // a broker that does not answer delays the scoring thread by at most this, once per event
            props.put(org.apache.kafka.clients.producer.ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
            producer = new KafkaProducer<>(props);
        }
        producer.send(new ProducerRecord<>(Topics.EVALUATION_PROGRESS, event.getRunId(), event.toByteArray()),
                (metadata, e) -> {
                    if (e != null) {
                        LOG.debugf("progress of %s not published: %s", event.getEvaluationId(), e);
                    }
                });
    }

    /** Sends what is buffered and closes the producer, if one was created. */
    @Override
    public synchronized void close() {
        closed = true;
        if (producer != null) {
            producer.close();
        }
    }
}
