package dev.realitycheck.embedding;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU seconds a process's threads have used so far, by group of threads, from
 * {@code /proc/PID/task/TID/stat} (user + system, clock ticks of 1/100 s): where a service's CPU per
 * request goes (the event loops that receive, parse and answer calls, the micro-batcher thread that
 * writes the inputs, calls TensorFlow and completes the requests, TensorFlow's own native threads, the JIT
 * compilers, the garbage collector), and
 * whether the JIT still compiles while a benchmark measures.
 */
final class ThreadCpu {

    /** The group of the JIT compiler threads ({@link #group}). */
    static final String JIT = "JIT compiler";

    private ThreadCpu() {
    }

    /** @return CPU seconds by thread group; empty when the process is gone or /proc is not there */
    static Map<String, Double> byGroup(long pid) {
        Map<String, Double> cpu = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    cpu.merge(group(name), seconds(stat), Double::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended between the listing and the read: its CPU is no longer counted anywhere
                }
            });
        } catch (IOException e) {
            return Map.of();
        }
        return cpu;
    }

    /**
     * @param stat the text of a {@code /proc/PID/stat} or {@code /proc/PID/task/TID/stat} file
     * @return its user + system CPU seconds (fields 14 and 15, clock ticks of 1/100 s)
     */
    static double seconds(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    /**
     * The group of a thread by its kernel name (at most 15 characters, e.g. {@code vert.x-eventloo},
     * {@code C2 CompilerThre}, {@code GC Thread#0}).
     */
    static String group(String name) {
        if (name.startsWith("vert.x-eventloo") || name.startsWith("grpc-")) {
            return "event loops";
        }
        if (name.startsWith("embedding-batch")) {
            return "batcher";
        }
        if (name.contains("CompilerThre")) {
            return JIT;
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.startsWith("VM Thread")) {
            return "GC and VM";
        }
        if (name.startsWith("embedding-model") || name.startsWith("tf_")) {
            // TensorFlow's native threads take the name of the thread that loaded the model, the model follower
            // (embedding-model-follower, whose own Kafka polling is next to nothing: 0 us per GetModel)
            return "TensorFlow";
        }
        return "other (" + name.replaceAll("[0-9]+", "N") + ")";
    }

    /** @return {@code after - before}, group by group */
    static Map<String, Double> minus(Map<String, Double> after, Map<String, Double> before) {
        Map<String, Double> delta = new TreeMap<>();
        after.forEach((group, s) -> delta.put(group, s - before.getOrDefault(group, 0.0)));
        return delta;
    }

    /** Adds {@code delta} into {@code total}, group by group. */
    static void add(Map<String, Double> total, Map<String, Double> delta) {
        delta.forEach((group, s) -> total.merge(group, s, Double::sum));
    }

    /** @return e.g. {@code event loops 210, batcher 350, JIT compiler 12} (microseconds per request), largest first */
    static String perRequest(Map<String, Double> seconds, long requests) {
        StringBuilder out = new StringBuilder();
        seconds.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> out.append(out.isEmpty() ? "" : ", ").append(e.getKey()).append(' ')
                        .append(String.format(Locale.ROOT, "%.0f", 1e6 * e.getValue() / requests)));
        return out.toString();
    }
}
