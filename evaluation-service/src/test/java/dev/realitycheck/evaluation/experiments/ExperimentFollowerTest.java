package dev.realitycheck.evaluation.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.realitycheck.kafka.LocalKafkaBroker;
import dev.realitycheck.proto.v1.ExperimentRecord;
import dev.realitycheck.proto.v1.ExperimentSpec;
import dev.realitycheck.proto.v1.RunEvent;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.proto.v1.RunState;
import dev.realitycheck.testsupport.KafkaBrokerExtension;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.TopicAdmin;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The evaluation service learns of experiments and their runs from the trainers' topics on a real
 * broker: the topics created when missing, records published before it starts and after, the
 * latest event per run winning, an unparseable record skipped without stopping it.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ExperimentFollowerTest {

    private static final String EXPERIMENTS = "test.experiments";
    private static final String EVENTS = "test.run-events";

    private static RunEvent event(String run, RunState state, long iteration) {
        return RunEvent.newBuilder().setSpec(RunSpec.newBuilder().setRunId(run).setExperimentId("exp-f"))
                .setState(state).setIteration(iteration).build();
    }

    @Test
    void itKnowsExperimentsAndTheLatestEventOfEachRunFromBeforeAndAfterItStarted(LocalKafkaBroker broker) throws Exception {
        ExperimentCatalog catalog = new ExperimentCatalog();
        try (ExperimentFollower follower = new ExperimentFollower(broker.bootstrapServers(), EXPERIMENTS, EVENTS, catalog,
                2, (short) 1)) {
            follower.start(); // no topic yet: it creates them, as a trainer would
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                try (Admin admin = TopicAdmin.admin(broker.bootstrapServers())) {
                    return admin.listTopics().names().get(10, TimeUnit.SECONDS).containsAll(List.of(EXPERIMENTS, EVENTS));
                }
            });
        }
        try (Producer<String, byte[]> producer = new KafkaProducer<>(KafkaSettings.producer(broker.bootstrapServers(), "test"))) {
            producer.send(new ProducerRecord<>(EXPERIMENTS, "exp-f", ExperimentRecord.newBuilder().setExperimentId("exp-f")
                    .setSpec(ExperimentSpec.newBuilder().setName("before")).build().toByteArray())).get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(EVENTS, "exp-f.a", event("exp-f.a", RunState.RUN_STATE_QUEUED, 0).toByteArray()))
                    .get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(EVENTS, "junk", new byte[] {(byte) 0xff, 0x01, 0x02})).get(30, TimeUnit.SECONDS);

            try (ExperimentFollower follower = new ExperimentFollower(broker.bootstrapServers(), EXPERIMENTS, EVENTS, catalog,
                    2, (short) 1)) {
                follower.start();
                // two topics, read in no particular order between them: wait for both
                await().atMost(Duration.ofSeconds(60)).until(() -> catalog.runs("exp-f").size() == 1
                        && catalog.experiment("exp-f").isPresent());
                assertThat(catalog.experiment("exp-f").orElseThrow().getSpec().getName()).isEqualTo("before");

                producer.send(new ProducerRecord<>(EVENTS, "exp-f.a", event("exp-f.a", RunState.RUN_STATE_RUNNING, 300)
                        .toByteArray())).get(30, TimeUnit.SECONDS);
                producer.send(new ProducerRecord<>(EVENTS, "exp-f.b", event("exp-f.b", RunState.RUN_STATE_QUEUED, 0)
                        .toByteArray())).get(30, TimeUnit.SECONDS);

                await().atMost(Duration.ofSeconds(60)).until(() -> catalog.runs("exp-f").size() == 2
                        && catalog.runs("exp-f").get(0).getIteration() == 300);
                assertThat(catalog.runs("exp-f")).extracting(e -> e.getSpec().getRunId(), RunEvent::getState)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("exp-f.a", RunState.RUN_STATE_RUNNING),
                                org.assertj.core.groups.Tuple.tuple("exp-f.b", RunState.RUN_STATE_QUEUED));
                assertThat(catalog.experimentIds()).containsExactly("exp-f");
                assertThat(catalog.knows("exp-g")).isFalse();
            }
        }
    }
}
