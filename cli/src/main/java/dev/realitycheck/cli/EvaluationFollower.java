package dev.realitycheck.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.Metrics;
import dev.realitycheck.transport.ConsumerLoop;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Follows {@code realitycheck.evaluations} from its beginning on a thread of its own (the one
 * {@link ConsumerLoop}, every partition from the beginning) and prints each result as it lands, one
 * line ({@link #line}); remembers the evaluation ids seen so that a caller can wait for the ones it
 * expects ({@link #awaitAll}). A failure to read (the broker gone) is retried by the loop; a
 * record that is no {@code EvaluationResult} is reported on its line and skipped, and so is one not
 * signed by a trusted key (with a verifier, {@code RecordSignatures}).
 */
final class EvaluationFollower implements AutoCloseable {

    private final PrintWriter out;
    private final Set<String> seen = new HashSet<>(); // guarded by itself
    private final ConsumerLoop loop;

    private final dev.realitycheck.transport.RecordSignatures.Verifier verifier;

    /** @param verifier checks each result's signature (null: every result is believed) */
    EvaluationFollower(String bootstrapServers, dev.realitycheck.transport.RecordSignatures.Verifier verifier,
                       PrintWriter out) {
        this.verifier = verifier;
        Properties settings = KafkaSettings.consumer(bootstrapServers, null, "realitycheck-demo");
        // asking for the topic's partitions must not create it (with the broker's default partition count)
        settings.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        this.out = out;
        this.loop = new ConsumerLoop(
                ConsumerLoop.Settings.allPartitions("evaluation-follower", List.of(Topics.EVALUATIONS))
                        .withCloseTimeout(Duration.ofSeconds(10)),
                () -> new KafkaConsumer<>(settings), ConsumerLoop.TopicSetup.NONE,
                consumer -> records -> {
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        accept(r);
                    }
                    return Map.of();
                });
        loop.start();
    }

    private void accept(ConsumerRecord<byte[], byte[]> r) {
        java.util.Optional<String> bad = verifier == null ? java.util.Optional.empty() : verifier.problem(r);
        if (bad.isPresent()) {
            out.printf(Locale.ROOT, "evaluation  (record at offset %d not accepted: %s)%n", r.offset(), bad.get());
            out.flush();
            return;
        }
        EvaluationResult result;
        try {
            result = EvaluationResult.parseFrom(r.value());
        } catch (InvalidProtocolBufferException e) {
            out.printf(Locale.ROOT, "evaluation  (unparseable record at offset %d skipped)%n", r.offset());
            out.flush();
            return;
        }
        out.println(line(result));
        out.flush();
        synchronized (seen) {
            seen.add(result.getEvaluationId());
            seen.notifyAll();
        }
    }

    /**
     * Waits until every one of {@code evaluationIds} was seen, at most until {@code deadlineNanos}
     * ({@link System#nanoTime()}).
     *
     * @return the ids still missing (empty when all arrived)
     */
    Set<String> awaitAll(Collection<String> evaluationIds, long deadlineNanos) throws InterruptedException {
        synchronized (seen) {
            while (true) {
                Set<String> missing = new TreeSet<>(evaluationIds);
                missing.removeAll(seen);
                long left = deadlineNanos - System.nanoTime();
                if (missing.isEmpty() || left <= 0) {
                    return missing;
                }
                if (!loop.isAlive()) {
                    throw new IllegalStateException("the follower of " + Topics.EVALUATIONS + " stopped");
                }
                // woken by each new result; the bound re-checks that the follower thread is alive
                seen.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 1000)));
            }
        }
    }

    /** One line: {@code evaluation  <run | baseline loss fold>  <split>  it N  MAP@R x  P@1 y}. */
    static String line(EvaluationResult r) {
        String who = r.getBaseline()
                ? String.format(Locale.ROOT, "baseline %s (fold %d)", r.getLossName(), r.getFold())
                : r.getRunId();
        String split = r.getSplit().name().replace("SPLIT_", "").toLowerCase(Locale.ROOT);
        if (!r.getError().isEmpty()) {
            return String.format(Locale.ROOT, "evaluation  %-44s %-10s it %-6d ERROR %s", who, split, r.getIteration(), r.getError());
        }
        Metrics m = r.getMetrics();
        String line = String.format(Locale.ROOT, "evaluation  %-44s %-10s it %-6d MAP@R %s  P@1 %s", who, split, r.getIteration(),
                m.hasMeanAveragePrecisionAtR() ? String.format(Locale.ROOT, "%.4f", m.getMeanAveragePrecisionAtR()) : "undefined",
                m.hasPrecisionAt1() ? String.format(Locale.ROOT, "%.4f", m.getPrecisionAt1()) : "undefined");
        if (r.hasTimings() && r.getTimings().hasTotal()) {
            com.google.protobuf.Duration total = r.getTimings().getTotal();
            line += String.format(Locale.ROOT, "  (%,d queries, %.1f s)", m.getQueryCount(),
                    total.getSeconds() + total.getNanos() / 1e9);
        }
        return line;
    }

    @Override
    public void close() throws InterruptedException {
        loop.close();
    }
}
