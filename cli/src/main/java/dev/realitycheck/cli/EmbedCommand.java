package dev.realitycheck.cli;

import dev.realitycheck.data.Npy;
import dev.realitycheck.proto.v1.EmbedRequest;
import dev.realitycheck.proto.v1.EmbedResponse;
import dev.realitycheck.proto.v1.Embedding;
import dev.realitycheck.proto.v1.EmbeddingServiceGrpc;
import dev.realitycheck.proto.v1.Item;
import dev.realitycheck.proto.v1.VectorEncoding;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code realitycheck embed}: vectors for images or .npy rows from a running embedding service. */
@Command(name = "embed", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Embed images (PNG/JPEG) or the rows of 2-D .npy files with the embedding service.")
public class EmbedCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--server", paramLabel = "HOST:PORT",
            description = "the embedding service (plaintext gRPC; default: the local stack's, else localhost:8082)")
    String server;

    @Option(names = "--checkpoint", paramLabel = "ID", description = "embed with this loaded checkpoint (default: the served one)")
    String checkpoint = "";

    @Option(names = "--output", paramLabel = "FILE.npy", description = "save the vectors as a float32 .npy instead of printing them")
    Path output;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "64", description = "items per request (default: ${DEFAULT-VALUE})")
    int batch;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "images or .npy files")
    List<Path> files;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            List<Item> items = new ArrayList<>();
            files.forEach(f -> items.addAll(EmbeddingClient.items(f)));
            ManagedChannel channel = EmbeddingClient.channel(server());
            try {
                EmbeddingServiceGrpc.EmbeddingServiceBlockingStub stub = EmbeddingServiceGrpc.newBlockingStub(channel);
                List<Embedding> vectors = new ArrayList<>();
                String usedCheckpoint = null;
                for (int from = 0; from < items.size(); from += batch) {
                    EmbedResponse response = stub.withDeadlineAfter(60, TimeUnit.SECONDS).embed(EmbedRequest.newBuilder()
                            .addAllItems(items.subList(from, Math.min(items.size(), from + batch)))
                            .setCheckpointId(checkpoint).setVectorEncoding(VectorEncoding.VECTOR_ENCODING_FLOAT32_LE)
                            .build());
                    if (usedCheckpoint != null && !usedCheckpoint.equals(response.getCheckpointId()) && checkpoint.isEmpty()) {
                        // the served model changed between batches: start over pinned to the new one
                        checkpoint = response.getCheckpointId();
                        return call();
                    }
                    usedCheckpoint = response.getCheckpointId();
                    vectors.addAll(response.getEmbeddingsList());
                }
                spec.commandLine().getErr().println("checkpoint " + usedCheckpoint + ", " + vectors.size() + " vectors");
                if (output != null) {
                    int dim = EmbeddingClient.values(vectors.get(0)).length;
                    float[] values = new float[vectors.size() * dim];
                    for (int i = 0; i < vectors.size(); i++) {
                        System.arraycopy(EmbeddingClient.values(vectors.get(i)), 0, values, i * dim, dim);
                    }
                    Npy.writeFloatMatrix(output, vectors.size(), dim, values);
                } else {
                    for (Embedding e : vectors) {
                        StringBuilder line = new StringBuilder(e.getItemId()).append('\t');
                        float[] v = EmbeddingClient.values(e);
                        for (int j = 0; j < v.length; j++) {
                            line.append(j == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.6g", v[j]));
                        }
                        out.println(line);
                    }
                }
                out.flush();
                return 0;
            } finally {
                channel.shutdownNow();
            }
        } catch (InputException e) {
            spec.commandLine().getErr().println("realitycheck embed: " + e.getMessage());
            return InputException.EXIT_CODE;
        } catch (StatusRuntimeException e) {
            spec.commandLine().getErr().println("realitycheck embed: " + EmbeddingClient.describe(e, server()));
            return 1;
        } catch (IOException e) {
            spec.commandLine().getErr().println("realitycheck embed: " + output + ": " + e.getMessage());
            return 1;
        }
    }

    /** {@code --server}, else the local stack's embedding service ({@link StackAddresses}). */
    private String server() {
        if (server == null) {
            server = StackAddresses.current().embedding();
        }
        return server;
    }
}
