package dev.realitycheck.trainer.search;

import dev.realitycheck.proto.v1.RunEvent;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.proto.v1.RunState;
import dev.realitycheck.proto.v1.ValidationPoint;
import dev.realitycheck.transport.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The trainer pods' side of a search, over a real broker: consumes every RunSpec on the runs topic
 * (one consumer group, as the pods), and once released answers each one with a SUCCEEDED RunEvent
 * whose best validation MAP@R is a known function of the run's hyperparameters and fold. A trial
 * is answered when all its folds have arrived, as pods finishing their runs would. Records every
 * run it received, and the most trials it ever held unanswered.
 */
final class FakePods implements AutoCloseable {

    private final String bootstrap;
    private final String runsTopic;
    private final String eventsTopic;
    private final int folds;
    private final ToDoubleFunction<RunSpec> validationMapAtR;
    private final CountDownLatch release;
    private final List<RunSpec> received = new ArrayList<>();
    private final Map<Integer, List<RunSpec>> waiting = new HashMap<>();
    private final Set<String> answeredTrials = new HashSet<>();
    private int maxUnanswered;
    private volatile boolean running = true;
    private final Thread thread;
    private volatile Throwable failure;

    FakePods(String bootstrap, String runsTopic, String eventsTopic, int folds, ToDoubleFunction<RunSpec> validationMapAtR,
             boolean startPaused) {
        this.bootstrap = bootstrap;
        this.runsTopic = runsTopic;
        this.eventsTopic = eventsTopic;
        this.folds = folds;
        this.validationMapAtR = validationMapAtR;
        this.release = new CountDownLatch(startPaused ? 1 : 0);
        this.thread = new Thread(this::run, "fake-pods");
        thread.setDaemon(true);
        thread.start();
    }

    void release() {
        release.countDown();
    }

    synchronized List<RunSpec> received() {
        return List.copyOf(received);
    }

    synchronized Set<Integer> receivedTrials() {
        Set<Integer> trials = new HashSet<>();
        received.stream().filter(RunSpec::hasTrial).forEach(r -> trials.add(r.getTrial()));
        return trials;
    }

    synchronized int answeredTrials() {
        return answeredTrials.size();
    }

    synchronized int maxUnanswered() {
        return maxUnanswered;
    }

    Throwable failure() {
        return failure;
    }

    private void run() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                KafkaSettings.consumer(bootstrap, "pods-" + runsTopic, "fake-pods"));
             Producer<String, byte[]> producer = new KafkaProducer<>(KafkaSettings.producer(bootstrap, "fake-pods"))) {
            consumer.subscribe(List.of(runsTopic));
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    RunSpec run = RunSpec.parseFrom(r.value());
                    synchronized (this) {
                        received.add(run);
                        if (run.hasTrial()) {
                            waiting.computeIfAbsent(run.getTrial(), t -> new ArrayList<>()).add(run);
                        } else {
                            waiting.computeIfAbsent(-1 - received.size(), t -> new ArrayList<>()).add(run);
                        }
                        long unanswered = waiting.keySet().stream().filter(t -> t >= 0).count();
                        maxUnanswered = (int) Math.max(maxUnanswered, unanswered);
                    }
                }
                consumer.commitSync();
                if (release.await(0, TimeUnit.MILLISECONDS)) {
                    answer(producer);
                }
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void answer(Producer<String, byte[]> producer) throws Exception {
        List<RunSpec> done = new ArrayList<>();
        synchronized (this) {
            for (var it = waiting.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (e.getKey() < 0 || e.getValue().size() == folds) {
                    done.addAll(e.getValue());
                    it.remove();
                }
            }
        }
        for (RunSpec run : done) {
            RunEvent event = RunEvent.newBuilder().setSpec(run).setState(RunState.RUN_STATE_SUCCEEDED).setIteration(100)
                    .setBest(ValidationPoint.newBuilder().setIteration(100).setCheckpointId(run.getRunId() + "@100")
                            .setMapAtR(validationMapAtR.applyAsDouble(run)))
                    .setReporter("fake-pod").build();
            producer.send(new ProducerRecord<>(eventsTopic, run.getRunId(), event.toByteArray())).get(30, TimeUnit.SECONDS);
        }
        synchronized (this) {
            done.stream().filter(RunSpec::hasTrial).forEach(r -> answeredTrials.add(Integer.toString(r.getTrial())));
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        release.countDown();
        thread.join(30_000);
    }
}
