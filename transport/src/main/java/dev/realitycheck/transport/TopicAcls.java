package dev.realitycheck.transport;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who writes and who reads each topic of {@link Topics#ALL}: the one table every Kafka ACL of the
 * project comes from (the local stack's broker, the chart's Strimzi {@code KafkaUser}s, the
 * {@code kafka-acls.sh} commands in docs/kafka.md; tests compare each with {@link #rules()}).
 *
 * <p>Each service principal may describe every topic (at start it checks that they exist), write
 * only the topics it owns and read only the ones it follows; the trainer and the evaluation service
 * may join the consumer groups of their prefix. Nobody may create topics, alter configs or ACLs: the
 * topics are created up front (the chart's topic Job or Strimzi, the local stack's admin).
 */
public final class TopicAcls {

    private static final Set<KafkaPrincipal> SERVICES =
            EnumSet.of(KafkaPrincipal.TRAINER, KafkaPrincipal.EVALUATION, KafkaPrincipal.EMBEDDING);

    /**
     * The writers and readers of one topic.
     *
     * @param topic   one of {@link Topics#ALL}
     * @param writers who may produce to it
     * @param readers who may consume it
     */
    public record Access(String topic, Set<KafkaPrincipal> writers, Set<KafkaPrincipal> readers) {
        /** Validates and copies. */
        public Access {
            Objects.requireNonNull(topic, "topic");
            if (!Topics.ALL.contains(topic)) {
                throw new IllegalArgumentException(topic + " is not one of Topics.ALL");
            }
            if (writers.isEmpty()) {
                throw new IllegalArgumentException(topic + " has no writer");
            }
            writers = Set.copyOf(writers);
            readers = Set.copyOf(readers);
        }
    }

    /**
     * One ACL: allow {@code principal} {@code operation} on a topic or group.
     *
     * @param principal   the user
     * @param operation   {@link AclOperation#READ}, {@link AclOperation#WRITE} or {@link AclOperation#DESCRIBE}
     * @param type        {@link ResourceType#TOPIC} or {@link ResourceType#GROUP}
     * @param name        the topic's name, or the group prefix
     * @param patternType {@link PatternType#LITERAL} (topics) or {@link PatternType#PREFIXED} (groups)
     */
    public record Rule(KafkaPrincipal principal, AclOperation operation, ResourceType type, String name,
            PatternType patternType) {
        /** Validates. */
        public Rule {
            Objects.requireNonNull(principal, "principal");
            Objects.requireNonNull(operation, "operation");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(patternType, "patternType");
        }

        /** The rule as the Admin client creates it (any host). */
        public AclBinding binding() {
            return new AclBinding(new ResourcePattern(type, name, patternType),
                    new AccessControlEntry(principal.principal(), "*", operation, AclPermissionType.ALLOW));
        }
    }

    /** The table, in the order of {@link Topics#ALL}. */
    public static final List<Access> ALL = List.of(
            new Access(Topics.RUNS, EnumSet.of(KafkaPrincipal.TRAINER), EnumSet.of(KafkaPrincipal.TRAINER)),
            new Access(Topics.CHECKPOINTS, EnumSet.of(KafkaPrincipal.TRAINER),
                    EnumSet.of(KafkaPrincipal.EVALUATION, KafkaPrincipal.EMBEDDING)),
            new Access(Topics.TRAINING_STATES, EnumSet.of(KafkaPrincipal.TRAINER), EnumSet.of(KafkaPrincipal.TRAINER)),
            new Access(Topics.EVALUATIONS, EnumSet.of(KafkaPrincipal.EVALUATION), EnumSet.of(KafkaPrincipal.EVALUATION,
                    KafkaPrincipal.EMBEDDING, KafkaPrincipal.RESULTS_READER)),
            new Access(Topics.EVALUATION_PROGRESS, EnumSet.of(KafkaPrincipal.EVALUATION), Set.of()),
            new Access(Topics.EVALUATION_BLOCKS, EnumSet.of(KafkaPrincipal.EVALUATION), EnumSet.of(KafkaPrincipal.EVALUATION)),
            new Access(Topics.EVALUATION_PARTIALS, EnumSet.of(KafkaPrincipal.EVALUATION), EnumSet.of(KafkaPrincipal.EVALUATION)),
            new Access(Topics.DEAD_LETTERS, SERVICES, Set.of()),
            new Access(Topics.RUN_EVENTS, EnumSet.of(KafkaPrincipal.TRAINER),
                    EnumSet.of(KafkaPrincipal.TRAINER, KafkaPrincipal.EVALUATION)),
            new Access(Topics.EXPERIMENTS, EnumSet.of(KafkaPrincipal.TRAINER),
                    EnumSet.of(KafkaPrincipal.TRAINER, KafkaPrincipal.EVALUATION)));

    private TopicAcls() {
    }

    /** Every ACL of the table, per principal in declaration order: describe, write, read, then its groups. */
    public static List<Rule> rules() {
        Set<Rule> rules = new LinkedHashSet<>();
        for (KafkaPrincipal p : KafkaPrincipal.values()) {
            for (Access a : ALL) {
                if (SERVICES.contains(p)) {
                    rules.add(topic(p, AclOperation.DESCRIBE, a.topic()));
                }
                if (a.writers().contains(p)) {
                    rules.add(topic(p, AclOperation.WRITE, a.topic()));
                }
                if (a.readers().contains(p)) {
                    rules.add(topic(p, AclOperation.READ, a.topic()));
                }
            }
            p.groupPrefix().ifPresent(prefix ->
                    rules.add(new Rule(p, AclOperation.READ, ResourceType.GROUP, prefix, PatternType.PREFIXED)));
        }
        return List.copyOf(rules);
    }

    /** {@link #rules()} as the Admin client creates them. */
    public static List<AclBinding> bindings() {
        return rules().stream().map(Rule::binding).toList();
    }

    /**
     * {@link #rules()} as {@code kafka-acls.sh} commands for an existing cluster, one per principal,
     * operation and resource type, run as an admin ({@code $BOOTSTRAP}, {@code admin.properties}).
     */
    public static List<String> kafkaAclsCommands() {
        Map<String, StringBuilder> commands = new LinkedHashMap<>();
        for (Rule r : rules()) {
            boolean group = r.type() == ResourceType.GROUP;
            commands.computeIfAbsent(r.principal() + " " + r.operation() + " " + r.type(), k -> new StringBuilder(
                    "kafka-acls.sh --bootstrap-server \"$BOOTSTRAP\" --command-config admin.properties --add"
                            + " --allow-principal " + r.principal().principal() + " --operation "
                            + operationName(r.operation()) + (group ? " --resource-pattern-type prefixed" : "")))
                    .append(group ? " --group " : " --topic ").append(r.name());
        }
        return commands.values().stream().map(StringBuilder::toString).toList();
    }

    private static Rule topic(KafkaPrincipal p, AclOperation operation, String topic) {
        return new Rule(p, operation, ResourceType.TOPIC, topic, PatternType.LITERAL);
    }

    private static String operationName(AclOperation operation) {
        String name = operation.name().toLowerCase(java.util.Locale.ROOT);
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }
}
