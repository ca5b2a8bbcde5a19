package dev.realitycheck.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.realitycheck.evaluation.consume.EvaluationLoop;
import dev.realitycheck.kafka.LocalKafkaBroker;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.testsupport.KafkaBrokerExtension;
import dev.realitycheck.transport.TopicAdmin;
import dev.realitycheck.transport.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The evaluation loop keeps working across a broker restart (same data, same port). */
@ExtendWith(KafkaBrokerExtension.class)
class BrokerRestartTest {

    @TempDir
    Path tmp;

    @Test
    void checkpointsPublishedAfterABrokerRestartAreStillEvaluated(LocalKafkaBroker broker) throws Exception {
        try (Admin admin = TopicAdmin.admin(broker.bootstrapServers())) {
            TopicAdmin.ensureTopics(admin, Topics.ALL, 2, (short) 1);
        }
        try (PipelineFixture fixture = new PipelineFixture(broker.bootstrapServers(), tmp);
             EvaluationLoop loop = fixture.loop("group-broker-restart", fixture.scorer())) {
            Path packed = fixture.model(tmp, "m", 21);
            loop.start();
            fixture.publish(fixture.manifest("before", "run-a", 0), packed);
            try (PipelineFixture.TopicReader<EvaluationResult> reader = PipelineFixture.results(fixture.bootstrap)) {
                await().atMost(Duration.ofSeconds(90)).until(reader::poll,
                        l -> l.stream().filter(r -> r.getCheckpointId().equals("before")).count() == 2);
            }

            broker.restart();
            fixture.publish(fixture.manifest("after", "run-a", 0), packed);

            try (PipelineFixture.TopicReader<EvaluationResult> reader = PipelineFixture.results(fixture.bootstrap)) {
                List<EvaluationResult> after = await().atMost(Duration.ofSeconds(120)).until(
                        () -> reader.poll().stream().filter(r -> r.getCheckpointId().equals("after")).toList(),
                        l -> l.size() >= 2);
                assertThat(after).allSatisfy(r -> assertThat(r.getError()).isEmpty());
                assertThat(loop.isAlive()).isTrue();
            }
        }
    }
}
