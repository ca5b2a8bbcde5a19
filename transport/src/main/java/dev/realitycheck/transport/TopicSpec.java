package dev.realitycheck.transport;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How one of {@link Topics#ALL} is created: its partitions rule and its topic configs (cleanup policy,
 * {@code retention.ms}, ...). The one place these live: {@link TopicAdmin#ensureTopics} creates topics
 * with them, and the chart's topic Job (k8s/realitycheck/templates/_helpers.tpl) declares the same
 * values, which the k8s module's ServiceSettingsTest compares with {@link #ALL}.
 *
 * <p>Kept ({@code retention.ms=-1}, or compacted): what the services rebuild their state from or a
 * queue that may wait long (runs, checkpoints, training states, evaluation results, experiments).
 * Bounded: what is only a live view or a trail to inspect (run events 14 days, evaluation progress
 * 7 days, dead letters 14 days; the blocks and partials of a split evaluation 1 day, as no evaluation
 * waits for its blocks that long).
 *
 * @param name            the topic's name, one of {@link Topics#ALL}
 * @param singlePartition true when the topic has one partition whatever the deployment's partition count
 * @param configs         topic configs set at creation, e.g. {@code retention.ms}
 */
public record TopicSpec(String name, boolean singlePartition, Map<String, String> configs) {

    /** {@code retention.ms} that keeps every record. */
    public static final String KEEP = "-1";
    /** One day in milliseconds. */
    public static final String ONE_DAY = "86400000";
    /** Seven days in milliseconds. */
    public static final String SEVEN_DAYS = "604800000";
    /** Fourteen days in milliseconds. */
    public static final String FOURTEEN_DAYS = "1209600000";
    /** {@code max.message.bytes} of the checkpoint topics: a chunk (under 1 MiB) plus record overhead. */
    public static final String CHECKPOINT_MAX_MESSAGE_BYTES = "1048588";

    /** The topic config that says who stamps a record's timestamp. */
    public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
    /** The broker stamps each record when it appends it: a producer cannot claim a time. */
    public static final String LOG_APPEND_TIME = "LogAppendTime";

    /** The spec of every topic, in the order of {@link Topics#ALL}. */
    public static final List<TopicSpec> ALL = List.of(
            // a RunSpec may wait behind a long experiment: it must not expire before a trainer takes it
            new TopicSpec(Topics.RUNS, false, Map.of("retention.ms", KEEP)),
            // the embedding and evaluation services read every checkpoint from the beginning; the broker
            // stamps each record (LogAppendTime), so "latest" is the broker's order, never a producer's claim
            new TopicSpec(Topics.CHECKPOINTS, false, Map.of("retention.ms", KEEP, "max.message.bytes",
                    CHECKPOINT_MAX_MESSAGE_BYTES, MESSAGE_TIMESTAMP_TYPE, LOG_APPEND_TIME)),
            // a run may be resumed on another pod at any later time
            new TopicSpec(Topics.TRAINING_STATES, false,
                    Map.of("retention.ms", KEEP, "max.message.bytes", CHECKPOINT_MAX_MESSAGE_BYTES)),
            // the results history: leaderboards and baselines are rebuilt from it
            new TopicSpec(Topics.EVALUATIONS, false, Map.of("retention.ms", KEEP)),
            // informational, never read back by a service
            new TopicSpec(Topics.EVALUATION_PROGRESS, false, Map.of("retention.ms", SEVEN_DAYS)),
            // a split evaluation's block tasks and partial scores: read within its timeout, then worthless
            new TopicSpec(Topics.EVALUATION_BLOCKS, false, Map.of("retention.ms", ONE_DAY)),
            new TopicSpec(Topics.EVALUATION_PARTIALS, false, Map.of("retention.ms", ONE_DAY)),
            // kept two weeks for an operator to inspect and replay
            new TopicSpec(Topics.DEAD_LETTERS, false, Map.of("retention.ms", FOURTEEN_DAYS)),
            // the live state of runs; results and experiments are the lasting record
            new TopicSpec(Topics.RUN_EVENTS, false, Map.of("retention.ms", FOURTEEN_DAYS)),
            // the latest record per experiment, forever; one coordinator owns every experiment
            new TopicSpec(Topics.EXPERIMENTS, true, Map.of("cleanup.policy", "compact")));

    /** Validates and copies the configs. */
    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("topic name is blank");
        }
        configs = Map.copyOf(Objects.requireNonNull(configs, "configs"));
    }

    /** The spec of a topic of {@link Topics#ALL}; empty for any other name (tests' own topics). */
    public static Optional<TopicSpec> of(String name) {
        return ALL.stream().filter(s -> s.name.equals(name)).findFirst();
    }

    /** Partitions to create the topic with, given the deployment's partition count. */
    public int partitions(int deploymentPartitions) {
        return singlePartition ? 1 : deploymentPartitions;
    }
}
