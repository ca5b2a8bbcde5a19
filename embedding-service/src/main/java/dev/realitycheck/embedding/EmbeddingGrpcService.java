package dev.realitycheck.embedding;

import dev.realitycheck.proto.v1.AddToGalleryRequest;
import dev.realitycheck.proto.v1.AddToGalleryResponse;
import dev.realitycheck.proto.v1.EmbedRequest;
import dev.realitycheck.proto.v1.EmbedResponse;
import dev.realitycheck.proto.v1.EmbeddingService;
import dev.realitycheck.proto.v1.GetModelRequest;
import dev.realitycheck.proto.v1.GetModelResponse;
import dev.realitycheck.proto.v1.SearchRequest;
import dev.realitycheck.proto.v1.SearchResponse;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The gRPC face of the embedding-service ({@code realitycheck.v1.EmbeddingService}).
 *
 * <p>No checkpoint can be loaded yet, so every RPC answers {@code UNIMPLEMENTED} with a
 * description naming the RPC and what it is waiting for: an explicit, documented status (never
 * {@code UNKNOWN}) until the checkpoint consumer, the model registry and the gallery arrive.
 */
@GrpcService
public class EmbeddingGrpcService implements EmbeddingService {

    @Override
    public Uni<EmbedResponse> embed(EmbedRequest request) {
        return Uni.createFrom().failure(notYet("Embed",
                "checkpoint loading from realitycheck.checkpoints and the model registry"));
    }

    @Override
    public Multi<EmbedResponse> embedStream(Multi<EmbedRequest> requests) {
        // The stream is refused as a whole; Quarkus cancels the client's side when this fails.
        return Multi.createFrom().failure(notYet("EmbedStream",
                "checkpoint loading from realitycheck.checkpoints and micro-batching"));
    }

    @Override
    public Uni<SearchResponse> search(SearchRequest request) {
        return Uni.createFrom().failure(notYet("Search", "the gallery and exact kNN search"));
    }

    @Override
    public Uni<AddToGalleryResponse> addToGallery(AddToGalleryRequest request) {
        return Uni.createFrom().failure(notYet("AddToGallery", "the gallery"));
    }

    @Override
    public Uni<GetModelResponse> getModel(GetModelRequest request) {
        return Uni.createFrom().failure(notYet("GetModel",
                "the model registry and its serving policy (LATEST, BEST, PINNED)"));
    }

    private static RuntimeException notYet(String rpc, String waitingFor) {
        return Status.UNIMPLEMENTED
                .withDescription("EmbeddingService." + rpc + " is not implemented yet: it arrives with "
                        + waitingFor + " (a later issue)")
                .asRuntimeException();
    }
}
