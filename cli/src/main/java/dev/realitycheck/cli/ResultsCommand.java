package dev.realitycheck.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.Metrics;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.RecordSignatures;
import java.nio.file.Path;
import dev.realitycheck.transport.Topics;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code realitycheck results}: the evaluation records on {@code realitycheck.evaluations}, one
 * readable line each (or JSON), from the beginning of the topic; with {@code --follow} it keeps
 * printing new ones as they land, until interrupted or, with {@code --experiment}, until every run
 * of the experiment has ended and each of its checkpoints is scored on both splits
 * ({@link ExperimentCompletion}). Kafka is {@code --bootstrap-servers}, else
 * {@code $KAFKA_BOOTSTRAP_SERVERS}, else the local stack's ({@link StackAddresses}), read as its
 * results reader ({@link StackKafkaReader}).
 *
 * <p>Signatures: a result not signed by a trusted key ({@code RecordSignatures}) is not printed (a
 * line on stderr says why). The trusted keys are {@code --trusted-keys DIR}, else, when the broker is
 * the running local stack's, the stack's ({@code LocalSigningKeys}); without either the results are
 * printed unverified with a warning; {@code --no-verify} turns the check off.
 */
@Command(name = "results", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print evaluation results from the realitycheck.evaluations topic.")
public class ResultsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka (default: $KAFKA_BOOTSTRAP_SERVERS, else the local stack's, else 127.0.0.1:9092)")
    String bootstrapServers;

    @Option(names = "--follow", description = "keep printing new results: until interrupted, or with --experiment until it is all scored")
    boolean follow;

    @Option(names = "--experiment", paramLabel = "ID",
            description = "only this experiment; with --follow, end once each of its runs has ended and every checkpoint is scored on both splits")
    String experiment;

    @Option(names = "--trainer", paramLabel = "HOST:PORT",
            description = "the trainer asked for the experiment's runs (default: the local stack's, else localhost:8081)")
    String trainer;

    @Option(names = "--evaluation", paramLabel = "HOST:PORT",
            description = "the evaluation service asked whether the experiment's baselines are all scored"
                    + " (default: the local stack's, else localhost:8083)")
    String evaluation;

    @Option(names = "--run", paramLabel = "ID", description = "only this run")
    String run;

    @Option(names = "--json", description = "one JSON object per line (protobuf JSON mapping)")
    boolean json;

    @Option(names = "--trusted-keys", paramLabel = "DIR",
            description = "directory of trusted public keys (<key-id>.pem) that results must be signed with"
                    + " (default: the running local stack's)")
    Path trustedKeys;

    @Option(names = "--no-verify", description = "print results without checking their signatures")
    boolean noVerify;

    private RecordSignatures.Verifier verifier;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "15",
            description = "give up when the broker does not answer for this long (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        boolean stackBroker = false;
        if (bootstrapServers == null) {
            String env = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
            StackAddresses stack = StackAddresses.current();
            stackBroker = env == null || env.isBlank();
            bootstrapServers = !stackBroker ? env : stack.bootstrapServers();
            if (stackBroker) { // the local stack's broker: as its results reader
                stack.state().ifPresent(s -> StackKafkaReader.use(s.runDirectory()));
            }
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                KafkaSettings.consumer(bootstrapServers, null, "realitycheck-results"))) {
            List<PartitionInfo> partitions;
            try {
                partitions = consumer.partitionsFor(Topics.EVALUATIONS, Duration.ofSeconds(timeoutSeconds));
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                spec.commandLine().getErr().println("realitycheck results: no answer from Kafka at " + bootstrapServers
                        + " within " + timeoutSeconds + " s; start the local stack with bin/realitycheck up");
                return 1;
            }
            if (partitions == null || partitions.isEmpty()) {
                if (!follow) {
                    return 0;
                }
                spec.commandLine().getErr().println("realitycheck results: topic " + Topics.EVALUATIONS
                        + " does not exist yet on " + bootstrapServers);
                return 1;
            }
            try {
                verifier = noVerify ? null : TrustedKeys.verifier(trustedKeys, stackBroker, spec.commandLine().getErr());
            } catch (java.io.IOException e) {
                spec.commandLine().getErr().println("realitycheck results: " + e.getMessage());
                return InputException.EXIT_CODE;
            }
            List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned);
            ExperimentCompletion completion = follow && experiment != null
                    ? new ExperimentCompletion(experiment, trainer != null ? trainer : StackAddresses.current().trainer(),
                            evaluation != null ? evaluation : StackAddresses.current().evaluation())
                    : null;
            while (follow || !reached(consumer, end)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    print(out, r);
                }
                out.flush();
                if (completion != null && completion.done(seen)) {
                    spec.commandLine().getErr().println("every run of " + experiment + " has ended and each of its "
                            + completion.checkpoints() + " checkpoints is scored on both splits, and so are the baselines"
                            + " of its folds");
                    break;
                }
            }
        } catch (InputException e) {
            spec.commandLine().getErr().println("realitycheck results: " + e.getMessage());
            return InputException.EXIT_CODE;
        } catch (StatusRuntimeException e) {
            spec.commandLine().getErr().println("realitycheck results: " + EmbeddingClient.describe(e,
                    (trainer != null ? trainer : StackAddresses.current().trainer()) + " (trainer) or "
                            + (evaluation != null ? evaluation : StackAddresses.current().evaluation()) + " (evaluation)"));
            return 1;
        }
        return 0;
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private final java.util.Set<String> seen = new java.util.HashSet<>();

    private void print(PrintWriter out, ConsumerRecord<byte[], byte[]> r) throws InvalidProtocolBufferException {
        java.util.Optional<String> bad = verifier == null ? java.util.Optional.empty() : verifier.problem(r);
        if (bad.isPresent()) {
            spec.commandLine().getErr().printf("not accepted (signature) at %s[%d]@%d: %s%n", r.topic(), r.partition(),
                    r.offset(), bad.get());
            return;
        }
        EvaluationResult result;
        try {
            result = EvaluationResult.parseFrom(r.value());
        } catch (InvalidProtocolBufferException e) {
            spec.commandLine().getErr().printf("skipping unparseable record at %s[%d]@%d%n", r.topic(), r.partition(), r.offset());
            return;
        }
        if (run != null && !run.equals(result.getRunId())
                || experiment != null && !experiment.equals(result.getExperimentId())) {
            return;
        }
        seen.add(result.getEvaluationId());
        out.println(json ? JsonFormat.printer().omittingInsignificantWhitespace().print(result) : line(result));
    }

    /** One readable line: when, run, checkpoint and split, then the metrics or the error. */
    static String line(EvaluationResult r) {
        String when = Instant.ofEpochSecond(r.getEvaluatedAt().getSeconds()).toString();
        String head = String.format(Locale.ROOT, "%s %-10s %s %-28s it=%-6d %-10s", when,
                r.getSplit().name().replace("SPLIT_", "").toLowerCase(Locale.ROOT),
                r.getBaseline() ? "baseline" : r.getConcatenated() ? "concat" : "run",
                r.getRunId(), r.getIteration(), r.getLossName());
        if (!r.getError().isEmpty()) {
            return head + " ERROR " + r.getError();
        }
        Metrics m = r.getMetrics();
        StringBuilder sb = new StringBuilder(head);
        sb.append(String.format(Locale.ROOT, " MAP@R=%s R-Prec=%s P@1=%s", fmt(m.hasMeanAveragePrecisionAtR(),
                m.getMeanAveragePrecisionAtR()), fmt(m.hasRPrecision(), m.getRPrecision()), fmt(m.hasPrecisionAt1(),
                m.getPrecisionAt1())));
        m.getRecallAtKMap().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> sb.append(String.format(Locale.ROOT, " R@%d=%.4f", e.getKey(), e.getValue())));
        sb.append(String.format(Locale.ROOT, " (%d queries, checkpoint %s)", m.getQueryCount(), r.getCheckpointId()));
        return sb.toString();
    }

    private static String fmt(boolean defined, double v) {
        return defined ? String.format(Locale.ROOT, "%.4f", v) : "undefined";
    }
}
