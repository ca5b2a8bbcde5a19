package dev.realitycheck.trainer.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.realitycheck.kafka.LocalKafkaBroker;
import dev.realitycheck.proto.v1.DatasetSpec;
import dev.realitycheck.proto.v1.DeadLetter;
import dev.realitycheck.proto.v1.ExperimentRecord;
import dev.realitycheck.proto.v1.ExperimentSpec;
import dev.realitycheck.proto.v1.HyperparameterRange;
import dev.realitycheck.proto.v1.LossConfig;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.proto.v1.SearchSpace;
import dev.realitycheck.proto.v1.SplitSpec;
import dev.realitycheck.proto.v1.TrainingSettings;
import dev.realitycheck.search.BayesianOptimizer;
import dev.realitycheck.search.Dimension;
import dev.realitycheck.search.Observation;
import dev.realitycheck.testsupport.KafkaBrokerExtension;
import dev.realitycheck.trainer.runs.RunPlanner;
import dev.realitycheck.transport.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The search coordinator against a real broker, with the trainer pods played by {@link FakePods}
 * (real Kafka records: RunSpecs consumed, RunEvents published). It runs every trial of a searched
 * loss (several at once, never more than the limit), picks the best one and publishes its
 * reproductions; and a coordinator stopped midway is replaced by a new one that rebuilds its state
 * from Kafka and finishes the same search without publishing any run twice.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SearchCoordinatorTest {

    static final int FOLDS = 2;
    static String bootstrap;

    @BeforeAll
    static void setUp(LocalKafkaBroker broker) {
        bootstrap = broker.bootstrapServers();
    }

    /** Validation MAP@R of a triplet-margin run: peaks at margin 0.1, fold 1 a little easier. */
    static double mapAtR(RunSpec run) {
        double margin = run.getLoss().getHyperparametersOrThrow("margin");
        double z = Math.log10(margin) + 1;
        return 0.6 * Math.exp(-z * z / 0.5) + 0.05 * run.getFold();
    }

    static ExperimentSpec spec(int trials) {
        LossConfig searched = LossConfig.newBuilder().setName("tm").setLoss("triplet_margin")
                .putHyperparameters("margin", 0.001)
                .setSearch(SearchSpace.newBuilder().setTrials(trials).setSeed(7)
                        .putRanges("margin", HyperparameterRange.newBuilder().setMin(0.001).setMax(1).setLogScale(true).build()))
                .build();
        LossConfig plain = LossConfig.newBuilder().setName("plain").setLoss("contrastive").build();
        return ExperimentSpec.newBuilder().setName("search")
                .setDataset(DatasetSpec.newBuilder().setName("tiny").setSplit(SplitSpec.newBuilder().setFolds(FOLDS)))
                .setSettings(TrainingSettings.newBuilder().setIterations(100))
                .addLosses(plain).addLosses(searched).addSeeds(3).addSeeds(4).build();
    }

    static void topics(String prefix) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(prefix + ".experiments", 1, (short) 1),
                    new NewTopic(prefix + ".runs", 2, (short) 1), new NewTopic(prefix + ".run-events", 2, (short) 1),
                    new NewTopic(prefix + ".dead-letters", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    static SearchCoordinator coordinator(String prefix, int inFlight) {
        SearchCoordinator c = new SearchCoordinator(new SearchCoordinator.Settings(bootstrap, prefix + "-search",
                prefix + ".experiments", prefix + ".runs", prefix + ".run-events", prefix + ".dead-letters", inFlight,
                Duration.ofMillis(100), Duration.ofSeconds(30), Duration.ofSeconds(30)),
                spec -> spec.getDataset().getSplit().getFolds());
        c.start();
        return c;
    }

    static void send(String topic, String key, byte[] value) throws Exception {
        try (Producer<String, byte[]> p = new KafkaProducer<>(KafkaSettings.producer(bootstrap, "test"))) {
            p.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    static void startExperiment(String prefix, String id, ExperimentSpec spec) throws Exception {
        send(prefix + ".experiments", id, ExperimentRecord.newBuilder().setExperimentId(id).setSpec(spec).build().toByteArray());
    }

    /** Every record on a topic, read with a group-less consumer. */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(KafkaSettings.consumer(bootstrap, null, "check"))) {
            var partitions = c.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            var end = c.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(all::add);
            }
            return all;
        }
    }

    static Map<String, Long> runIdCounts(String prefix) {
        return readAll(prefix + ".runs").stream()
                .collect(Collectors.groupingBy(r -> new String(r.key()), Collectors.counting()));
    }

    static double objective(Map<String, Double> values) {
        double sum = 0;
        for (int fold = 0; fold < FOLDS; fold++) {
            sum += mapAtR(RunSpec.newBuilder().setFold(fold)
                    .setLoss(LossConfig.newBuilder().putAllHyperparameters(values)).build());
        }
        return sum / FOLDS;
    }

    @Test
    void runsEveryTrialSeveralAtOnceThenReproducesTheBestConfiguration() throws Exception {
        String prefix = "full";
        topics(prefix);
        int trials = 10;
        send(prefix + ".experiments", "exp-garbage", new byte[] {1, 2, 3, 4, 5});
        startExperiment(prefix, "exp-a", spec(trials));
        try (FakePods pods = new FakePods(bootstrap, prefix + ".runs", prefix + ".run-events", FOLDS,
                SearchCoordinatorTest::mapAtR, true);
             SearchCoordinator coordinator = coordinator(prefix, 3)) {
            // nothing finishes until released: the coordinator fills its three slots, no more
            await().atMost(60, TimeUnit.SECONDS).until(() -> pods.received().size() == 3 * FOLDS);
            assertThat(pods.receivedTrials()).containsExactlyInAnyOrder(0, 1, 2);
            pods.release();
            await().atMost(120, TimeUnit.SECONDS).until(() -> pods.received().stream().filter(r -> !r.hasTrial()).count() == 4);
            assertThat(pods.failure()).isNull();
            assertThat(pods.maxUnanswered()).isEqualTo(3);
            assertThat(coordinator.isOwner()).isTrue();

            List<RunSpec> trialRuns = pods.received().stream().filter(RunSpec::hasTrial).toList();
            assertThat(trialRuns).hasSize(trials * FOLDS);
            assertThat(trialRuns).allSatisfy(r -> {
                assertThat(r.getRunId()).isEqualTo(RunPlanner.trialRunId("exp-a", "tm", r.getTrial(), r.getFold()));
                assertThat(r.getLoss().hasSearch()).isFalse();
                assertThat(r.getSeed()).isEqualTo(7);
                assertThat(r.getFoldCount()).isEqualTo(FOLDS);
            });
            Map<Integer, Map<String, Double>> values = trialRuns.stream().collect(Collectors.toMap(RunSpec::getTrial,
                    r -> r.getLoss().getHyperparametersMap(), (a, b) -> {
                        assertThat(a).as("both folds of a trial train the same values").isEqualTo(b);
                        return a;
                    }));
            assertThat(values.get(0)).as("trial 0 is the configured value").containsEntry("margin", 0.001);
            int best = values.keySet().stream().max(Comparator.comparingDouble((Integer t) -> objective(values.get(t)))
                    .thenComparing(Comparator.reverseOrder())).orElseThrow();
            assertThat(objective(values.get(best))).isGreaterThan(objective(values.get(0)) + 0.3);

            List<RunSpec> reproductions = pods.received().stream().filter(r -> !r.hasTrial()).toList();
            assertThat(reproductions).extracting(RunSpec::getRunId).containsExactlyInAnyOrder(
                    RunPlanner.runId("exp-a", "tm", 0, 3), RunPlanner.runId("exp-a", "tm", 0, 4),
                    RunPlanner.runId("exp-a", "tm", 1, 3), RunPlanner.runId("exp-a", "tm", 1, 4));
            assertThat(reproductions).allSatisfy(r -> {
                assertThat(r.getLoss().getHyperparametersMap()).isEqualTo(values.get(best));
                assertThat(r.getLoss().hasSearch()).isFalse();
            });
            assertThat(pods.received()).noneMatch(r -> r.getRunId().contains(".plain."));
        }
        assertThat(runIdCounts(prefix).values()).allMatch(n -> n == 1);
        List<DeadLetter> letters = readAll(prefix + ".dead-letters").stream().map(r -> {
            try {
                return DeadLetter.parseFrom(r.value());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
        assertThat(letters).singleElement().satisfies(l -> {
            assertThat(l.getSourceTopic()).isEqualTo(prefix + ".experiments");
            assertThat(l.getKey().toStringUtf8()).isEqualTo("exp-garbage");
        });
    }

    @Test
    void aCoordinatorStoppedMidwayIsReplacedAndTheSearchEndsAsIfUninterrupted() throws Exception {
        String prefix = "restart";
        topics(prefix);
        int trials = 7;
        ExperimentSpec spec = spec(trials);
        startExperiment(prefix, "exp-b", spec);
        // what an uninterrupted search proposes with one trial at a time
        LossConfig loss = spec.getLosses(1);
        BayesianOptimizer optimizer = new BayesianOptimizer(List.of(Dimension.log("margin", 0.001, 1)), 7,
                BayesianOptimizer.Settings.defaults(trials), SearchSpaces.startingPoint(loss));
        List<Observation> expected = new ArrayList<>();
        for (int t = 0; t < trials; t++) {
            Map<String, Double> v = optimizer.propose(t, expected, List.of());
            expected.add(new Observation(v, objective(v)));
        }

        try (FakePods pods = new FakePods(bootstrap, prefix + ".runs", prefix + ".run-events", FOLDS,
                SearchCoordinatorTest::mapAtR, false)) {
            SearchCoordinator first = coordinator(prefix, 1);
            await().atMost(60, TimeUnit.SECONDS).until(() -> pods.answeredTrials() >= 3);
            first.close();
            int publishedByFirst = pods.receivedTrials().size();
            assertThat(publishedByFirst).isLessThan(trials);
            try (SearchCoordinator second = coordinator(prefix, 1)) {
                await().atMost(120, TimeUnit.SECONDS).until(() -> pods.received().stream().filter(r -> !r.hasTrial()).count() == 4);
                assertThat(second.isOwner()).isTrue();
            }
            assertThat(pods.failure()).isNull();
            Map<Integer, Map<String, Double>> values = pods.received().stream().filter(RunSpec::hasTrial)
                    .collect(Collectors.toMap(RunSpec::getTrial, r -> r.getLoss().getHyperparametersMap(), (a, b) -> a));
            for (int t = 0; t < trials; t++) {
                assertThat(values.get(t)).as("trial %d", t).isEqualTo(expected.get(t).parameters());
            }
            Map<String, Double> best = expected.stream().max(Comparator.comparingDouble(Observation::value))
                    .orElseThrow().parameters();
            assertThat(pods.received().stream().filter(r -> !r.hasTrial()))
                    .allSatisfy(r -> assertThat(r.getLoss().getHyperparametersMap()).isEqualTo(best));
        }
        Map<String, Long> counts = runIdCounts(prefix);
        assertThat(counts).hasSize(trials * FOLDS + 4);
        assertThat(counts.values()).as("no run published twice").allMatch(n -> n == 1);
    }
}
