package dev.realitycheck.cli;

import dev.realitycheck.data.Npy;
import dev.realitycheck.data.SyntheticClusters;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training run of {@code evaluate}'s own class archive ({@code bin/aot-cache --evaluate}, at
 * {@code package}): writes generated clusters of the {@code bench-eval} CUB shape (5,924 x 128,
 * 100 classes) as {@code .npy} files and evaluates them with {@link EvaluateCommand#main}'s
 * command line, as a table and as JSON, so that the JVM archives every class, lambda and method
 * handle that {@code bin/realitycheck evaluate} starts with. Also a check of the build: it fails
 * when the short class path {@code evaluate} runs on ({@code rc_evaluate_classpath} in
 * {@code bin/jdk.sh}, the jars {@code cli/pom.xml} writes to {@code cli/target/evaluate.classpath})
 * lacks a class the command needs.
 */
final class EvaluateAotTraining {

    private EvaluateAotTraining() {
    }

    /** Runs the training evaluations in a temporary directory; exits non-zero when one fails. */
    public static void main(String[] args) throws IOException {
        BenchEvalCommand.Size cub = BenchEvalCommand.SIZES.stream().filter(s -> s.name().equals("cub")).findFirst()
                .orElseThrow();
        SyntheticClusters data = SyntheticClusters.generate(cub.rows(), cub.dim(), cub.classes(), cub.minSize(),
                cub.maxSize(), cub.noise(), 42);
        Path dir = Files.createTempDirectory("realitycheck-evaluate-aot");
        try {
            Path embeddings = dir.resolve("embeddings.npy");
            Path labels = dir.resolve("labels.npy");
            Npy.writeFloatMatrix(embeddings, data.embeddings().rows(), data.embeddings().dim(), data.embeddings().values());
            Npy.writeLabels(labels, data.labels());
            for (List<String> extra : List.of(List.<String>of(), List.of("--json"))) {
                String[] command = Stream.concat(Stream.of(embeddings.toString(), labels.toString()),
                        extra.stream()).toArray(String[]::new);
                int exit = EvaluateCommand.commandLine().setOut(new PrintWriter(Writer.nullWriter())).execute(command);
                if (exit != 0) {
                    System.err.println("evaluate " + String.join(" ", command) + " exited with " + exit);
                    System.exit(exit);
                }
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }
}
