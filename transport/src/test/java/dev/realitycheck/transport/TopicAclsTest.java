package dev.realitycheck.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/** The ACL table: complete, one owner per topic (dead letters aside), and the same as docs/kafka.md. */
class TopicAclsTest {

    @Test
    void theTableCoversExactlyTheTopicsInTheirOrder() {
        assertThat(TopicAcls.ALL).extracting(TopicAcls.Access::topic).containsExactlyElementsOf(Topics.ALL);
    }

    @Test
    void eachTopicButTheDeadLettersHasOneWriterAndTheEvaluationServiceCannotWriteCheckpoints() {
        for (TopicAcls.Access a : TopicAcls.ALL) {
            if (!a.topic().equals(Topics.DEAD_LETTERS)) {
                assertThat(a.writers()).as(a.topic()).hasSize(1);
            }
        }
        List<TopicAcls.Rule> rules = TopicAcls.rules();
        assertThat(rules).contains(rule(KafkaPrincipal.TRAINER, AclOperation.WRITE, Topics.CHECKPOINTS),
                rule(KafkaPrincipal.EVALUATION, AclOperation.READ, Topics.CHECKPOINTS),
                rule(KafkaPrincipal.RESULTS_READER, AclOperation.READ, Topics.EVALUATIONS));
        assertThat(rules).doesNotContain(rule(KafkaPrincipal.EVALUATION, AclOperation.WRITE, Topics.CHECKPOINTS),
                rule(KafkaPrincipal.EMBEDDING, AclOperation.WRITE, Topics.EVALUATIONS));
        // the reader reads the results and nothing else, writes nothing, joins no group
        assertThat(rules).filteredOn(r -> r.principal() == KafkaPrincipal.RESULTS_READER)
                .containsExactly(rule(KafkaPrincipal.RESULTS_READER, AclOperation.READ, Topics.EVALUATIONS));
        assertThat(rules).filteredOn(r -> r.type() == ResourceType.GROUP).extracting(TopicAcls.Rule::name)
                .containsExactly("trainer-", "evaluation-");
        assertThat(rules).extracting(TopicAcls.Rule::operation).allMatch(op -> Set.of(AclOperation.READ,
                AclOperation.WRITE, AclOperation.DESCRIBE).contains(op));
    }

    @Test
    void anAccessOutsideTheTopicsOrWithoutAWriterIsRefused() {
        assertThatThrownBy(() -> new TopicAcls.Access("other", Set.of(KafkaPrincipal.TRAINER), Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("other");
        assertThatThrownBy(() -> new TopicAcls.Access(Topics.RUNS, Set.of(), Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no writer");
    }

    @Test
    void docsKafkaMdListsExactlyTheGeneratedCommands() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "kafka.md"));
        String block = "```sh\n" + String.join("\n", TopicAcls.kafkaAclsCommands()) + "\n```";
        assertThat(doc).as("docs/kafka.md must hold TopicAcls.kafkaAclsCommands() in a sh block; regenerate it")
                .contains(block);
        assertThat(TopicAcls.kafkaAclsCommands()).allMatch(c -> c.startsWith("kafka-acls.sh "));
    }

    private static TopicAcls.Rule rule(KafkaPrincipal p, AclOperation op, String topic) {
        return new TopicAcls.Rule(p, op, ResourceType.TOPIC, topic, PatternType.LITERAL);
    }
}
