package dev.realitycheck.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.realitycheck.data.Idx;
import dev.realitycheck.data.IdxArray;
import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.data.MnistDirectory;
import dev.realitycheck.data.MnistSplit;
import dev.realitycheck.data.TinyDataset;
import dev.realitycheck.kafka.LocalKafkaBroker;
import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.CheckpointRecord;
import dev.realitycheck.proto.v1.ExperimentSpec;
import dev.realitycheck.proto.v1.RunEvent;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.proto.v1.ValidationPoint;
import dev.realitycheck.testsupport.KafkaBrokerExtension;
import dev.realitycheck.train.SessionThreads;
import dev.realitycheck.trainer.experiments.ExperimentLimits;
import dev.realitycheck.trainer.experiments.ExperimentValidator;
import dev.realitycheck.trainer.runs.RunStore;
import dev.realitycheck.trainer.training.RunDatasets;
import dev.realitycheck.trainer.training.RunMetrics;
import dev.realitycheck.trainer.training.RunTrainer;
import dev.realitycheck.transport.CheckpointPublisher;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.TopicAdmin;
import dev.realitycheck.transport.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Validation inside the trainer, on the tiny dataset (train half 0-4; fold 0 trains on 2-4 and
 * validates on 0-1; test classes 5-9) through a real broker: a validation every few iterations,
 * each with its checkpoint on Kafka; patience stops the run; the chosen checkpoint is the best
 * validation. And test numbers never feed a choice: with every test-class image changed or
 * removed, the run's losses, validations and choices are identical.
 */
@ExtendWith(KafkaBrokerExtension.class)
class EarlyStoppingTest {

    static final int ITERATIONS = 150;

    @TempDir
    static Path tmp;

    static String bootstrap;
    static Producer<String, byte[]> producer;
    static RunDatasets datasets;

    @BeforeAll
    static void setUp(LocalKafkaBroker broker) throws Exception {
        bootstrap = broker.bootstrapServers();
        try (var admin = TopicAdmin.admin(bootstrap)) {
            TopicAdmin.ensureTopics(admin, Topics.ALL, 1, (short) 1);
        }
        producer = new KafkaProducer<>(KafkaSettings.producer(bootstrap, "early-stopping-test"));
        Path tiny = TinyDataset.write(Files.createDirectories(tmp.resolve("tiny")), 10, 14, Specs.SIDE, 3);
        Path altered = withTestClassesAltered(tiny, Files.createDirectories(tmp.resolve("altered")), 5);
        datasets = new RunDatasets(Map.of("tiny", tiny, "altered", altered));
    }

    @AfterAll
    static void tearDown() {
        producer.close();
    }

    /** What one run did, as its trainer reported it. */
    record Trained(RunTrainer.Outcome outcome, RunEvent event, List<Float> losses) {
    }

    @Test
    void patienceStopsTheRunAndItsChosenCheckpointIsTheBestValidationOnKafka() throws Exception {
        RunSpec run = run("tiny", "exp-early", 3);
        Trained t = train(run, tmp.resolve("work-early"));

        assertThat(t.outcome()).isEqualTo(RunTrainer.Outcome.STOPPED_EARLY);
        List<ValidationPoint> points = t.event().getValidationsList();
        assertThat(points).extracting(ValidationPoint::getIteration)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, points.size()).mapToObj(i -> 5L * i).toList());
        assertThat(points.getLast().getIteration()).isLessThan(ITERATIONS);
        assertThat(t.losses()).hasSize((int) points.getLast().getIteration());
        assertThat(points).allSatisfy(p -> assertThat(p.getMapAtR()).isBetween(0.0, 1.0));
        // the best: highest MAP@R, the earliest on ties; then exactly `patience` validations without a new best
        ValidationPoint best = points.stream().max(Comparator.comparingDouble(ValidationPoint::getMapAtR)
                .thenComparing(Comparator.comparingLong(ValidationPoint::getIteration).reversed())).orElseThrow();
        assertThat(t.event().getBest()).isEqualTo(best);
        assertThat(points.indexOf(best)).isEqualTo(points.size() - 1 - 3);

        Map<String, CheckpointManifest> manifests = manifests(run.getRunId());
        assertThat(manifests.keySet()).containsAll(points.stream().map(ValidationPoint::getCheckpointId).toList());
        CheckpointManifest chosen = manifests.get(best.getCheckpointId());
        assertThat(chosen.getIteration()).isEqualTo(best.getIteration());
        assertThat(chosen.getLoss().getLoss()).isEqualTo("contrastive");
        assertThat(chosen.getLoss().getHyperparametersMap()).isEqualTo(Map.of("pos_margin", 0.0, "neg_margin", 1.0));
        assertThat(chosen.hasTrial()).isFalse();
    }

    @Test
    void changingOrRemovingEveryTestClassImageChangesNothingTheRunChoosesOrValidates() throws Exception {
        Trained original = train(run("tiny", "exp-leak", 3), tmp.resolve("work-leak-a"));
        Trained altered = train(run("altered", "exp-leak", 3), tmp.resolve("work-leak-b"));

        assertThat(datasets.load(Specs.tiny("altered", 1, 1).getDataset()).count())
                .isLessThan(datasets.load(Specs.tiny("tiny", 1, 1).getDataset()).count());
        assertThat(altered.losses()).isEqualTo(original.losses());
        assertThat(altered.event().getValidationsList()).isNotEmpty();
        assertThat(withoutIds(altered.event().getValidationsList()))
                .isEqualTo(withoutIds(original.event().getValidationsList()));
        assertThat(withoutIds(List.of(altered.event().getBest())))
                .isEqualTo(withoutIds(List.of(original.event().getBest())));
        assertThat(altered.event().getStoppedEarly()).isEqualTo(original.event().getStoppedEarly());
        assertThat(altered.outcome()).isEqualTo(original.outcome());
    }

    /** The points without their checkpoint ids (which name the run). */
    private static List<ValidationPoint> withoutIds(List<ValidationPoint> points) {
        return points.stream().map(p -> p.toBuilder().clearCheckpointId().build()).toList();
    }

    private static RunSpec run(String dataset, String experiment, int patience) {
        ExperimentSpec.Builder spec = Specs.tiny(dataset, ITERATIONS, 0);
        spec.getSettingsBuilder().setValidationInterval(5).setPatience(patience)
                .getOptimizerBuilder().setTrunkLearningRate(0.01).setEmbedderLearningRate(0.003);
        List<RunSpec> runs = new ExperimentValidator(datasets, ExperimentLimits.DEFAULTS).validate(experiment, spec.build(), Timestamp.getDefaultInstance());
        return runs.getFirst().toBuilder().setRunId(experiment + "." + dataset).build();
    }

    private static Trained train(RunSpec run, Path work) throws Exception {
        RunStore store = new RunStore();
        store.register(run);
        List<Float> losses = new CopyOnWriteArrayList<>();
        store.watch(run.getRunId(), p -> {
            if (p.getIteration() > losses.size() && p.hasLoss()) {
                losses.add((float) p.getLoss());
            }
        });
        RunTrainer trainer = new RunTrainer(datasets, work, new SessionThreads(1, 1), new CheckpointPublisher(producer),
                store, new RunMetrics(new SimpleMeterRegistry()));
        RunTrainer.Outcome outcome = trainer.train(run, () -> false);
        return new Trained(outcome, store.event(run.getRunId()).orElseThrow(), List.copyOf(losses));
    }

    /** The manifests of a run's checkpoints on the topic, by checkpoint id. */
    private static Map<String, CheckpointManifest> manifests(String runId) throws Exception {
        Map<String, CheckpointManifest> found = new java.util.HashMap<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(KafkaSettings.consumer(bootstrap, null, "manifests"))) {
            List<TopicPartition> partitions = c.partitionsFor(Topics.CHECKPOINTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(p -> c.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    CheckpointRecord record = CheckpointRecord.parseFrom(r.value());
                    if (record.hasManifest() && record.getManifest().getRunId().equals(runId)) {
                        found.put(record.getManifest().getCheckpointId(), record.getManifest());
                    }
                }
            }
        }
        return found;
    }

    /**
     * A copy of an MNIST-layout dataset in which every image of the test classes (the upper half of
     * the labels) is replaced by noise and all but {@code keep} of each test class are removed; the
     * train half's images keep their order.
     */
    static Path withTestClassesAltered(Path from, Path to, int keep) throws Exception {
        int[] all = MnistDirectory.load(from, MnistSplit.ALL).labels();
        int[] classes = Arrays.stream(all).distinct().sorted().toArray();
        Set<Integer> test = Arrays.stream(classes, classes.length / 2, classes.length).boxed().collect(Collectors.toSet());
        Random random = new Random(99);
        int[] kept = new int[classes.length];
        for (MnistSplit part : List.of(MnistSplit.TRAIN, MnistSplit.TEST)) {
            LabeledImages images = MnistDirectory.load(from, part);
            int size = images.pixelsPerImage();
            List<Integer> rows = new ArrayList<>();
            for (int i = 0; i < images.count(); i++) {
                int label = images.label(i);
                if (!test.contains(label) || kept[label]++ < keep) {
                    rows.add(i);
                }
            }
            byte[] pixels = new byte[rows.size() * size];
            int[] labels = new int[rows.size()];
            for (int k = 0; k < rows.size(); k++) {
                int i = rows.get(k);
                labels[k] = images.label(i);
                if (test.contains(labels[k])) {
                    byte[] noise = new byte[size];
                    random.nextBytes(noise);
                    System.arraycopy(noise, 0, pixels, k * size, size);
                } else {
                    System.arraycopy(images.pixels(), i * size, pixels, k * size, size);
                }
            }
            boolean train = part == MnistSplit.TRAIN;
            Idx.write(to.resolve(train ? MnistDirectory.TRAIN_IMAGES : MnistDirectory.TEST_IMAGES),
                    IdxArray.ofUnsignedBytes(new int[] {labels.length, images.height(), images.width()}, pixels));
            Idx.write(to.resolve(train ? MnistDirectory.TRAIN_LABELS : MnistDirectory.TEST_LABELS),
                    IdxArray.ofUnsignedByteLabels(labels));
        }
        return to;
    }
}
