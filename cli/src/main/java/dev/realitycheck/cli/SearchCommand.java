package dev.realitycheck.cli;

import dev.realitycheck.proto.v1.EmbeddingServiceGrpc;
import dev.realitycheck.proto.v1.Item;
import dev.realitycheck.proto.v1.Neighbor;
import dev.realitycheck.proto.v1.SearchRequest;
import dev.realitycheck.proto.v1.SearchResponse;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code realitycheck search}: the k nearest gallery items to each image or .npy row. */
@Command(name = "search", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Search a gallery of the embedding service with images (PNG/JPEG) or .npy rows.")
public class SearchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--server", paramLabel = "HOST:PORT",
            description = "the embedding service (plaintext gRPC; default: the local stack's, else localhost:8082)")
    String server;

    @Option(names = "--gallery", paramLabel = "NAME", defaultValue = "default", description = "gallery name (default: ${DEFAULT-VALUE})")
    String gallery;

    @Option(names = "--k", paramLabel = "K", defaultValue = "10", description = "neighbours per query (default: ${DEFAULT-VALUE})")
    int k;

    @Parameters(arity = "1", paramLabel = "FILE", description = "an image or a .npy file (each row a query)")
    Path file;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            if (k < 1) {
                throw new InputException("--k must be >= 1, got " + k);
            }
            List<Item> queries = EmbeddingClient.items(file);
            ManagedChannel channel = EmbeddingClient.channel(server());
            try {
                EmbeddingServiceGrpc.EmbeddingServiceBlockingStub stub = EmbeddingServiceGrpc.newBlockingStub(channel);
                for (Item query : queries) {
                    SearchResponse response = stub.withDeadlineAfter(60, TimeUnit.SECONDS).search(SearchRequest.newBuilder()
                            .setGallery(gallery).setItem(query).setK(k).build());
                    out.printf(Locale.ROOT, "%s (checkpoint %s, gallery %s of %d)%n", query.getId(), response.getCheckpointId(),
                            response.getGallery(), response.getGallerySize());
                    for (Neighbor n : response.getNeighborsList()) {
                        out.printf(Locale.ROOT, "  %3d  %-40s %10s  %.6f%n", n.getRank(), n.getItemId(),
                                n.hasLabel() ? "label " + n.getLabel() : "", n.getDistance());
                    }
                }
                out.flush();
                return 0;
            } finally {
                channel.shutdownNow();
            }
        } catch (InputException e) {
            spec.commandLine().getErr().println("realitycheck search: " + e.getMessage());
            return InputException.EXIT_CODE;
        } catch (StatusRuntimeException e) {
            spec.commandLine().getErr().println("realitycheck search: " + EmbeddingClient.describe(e, server()));
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
