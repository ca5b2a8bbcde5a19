package dev.realitycheck.embedding;

import dev.realitycheck.embedding.serving.ModelRegistry;
import dev.realitycheck.model.Architecture;
import dev.realitycheck.model.EmbeddingNetworks;
import dev.realitycheck.model.InputSpec;
import dev.realitycheck.model.Preprocessing;
import dev.realitycheck.model.ResNetArchitecture;
import dev.realitycheck.model.ResNetVariant;
import dev.realitycheck.model.SavedModelArchive;
import dev.realitycheck.model.SavedModelEmbedder;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The benchmark model and the profiles of the two in-JVM benchmark runs. The model is the 784-256-64 MLP on
 * 28x28x1 inputs, or with {@code -Drealitycheck.bench.model=cnn} the trainer's small CNN (16 and 32 channels,
 * BatchNorm, 64-d embedding) on the same inputs, or with {@code resnet18} / {@code resnet50} a ResNet trunk
 * (128-d embedding) on {@code side x side x 3} images ({@code -Drealitycheck.bench.side}, default 227), all
 * with seeded untrained weights. {@code -Drealitycheck.bench.batch} (default 64) is the batch of the batched
 * scenarios, in process and over gRPC ({@code bin/bench-trunk-serving}: ResNets at batch 32).
 */
final class EmbedBenchmarkSupport {

    static final double SECONDS = Double.parseDouble(System.getProperty("realitycheck.bench.seconds", "5"));
    /** {@code mlp} (default), {@code cnn}, {@code resnet18} or {@code resnet50}: {@code -Drealitycheck.bench.model}. */
    static final String MODEL = System.getProperty("realitycheck.bench.model", "mlp");
    /** The ResNets' image side: {@code -Drealitycheck.bench.side}. */
    static final int SIDE = Integer.getInteger("realitycheck.bench.side", 227);
    static final List<Integer> SHAPE = MODEL.startsWith("resnet") ? List.of(SIDE, SIDE, 3) : List.of(28, 28, 1);
    /** Each gRPC call's deadline: {@code -Drealitycheck.bench.deadline-seconds} (30; a ResNet batch on a loaded CPU needs more). */
    static final long DEADLINE_SECONDS = Long.getLong("realitycheck.bench.deadline-seconds", 30);
    /** The batch of the batched scenarios: {@code -Drealitycheck.bench.batch}. */
    static final int BATCH = Integer.getInteger("realitycheck.bench.batch", 64);
    /**
     * How the load generator sends tensors: {@code packed} ({@code float32_le}, the default), {@code uint8}
     * (one byte per pixel) or {@code floats} (repeated floats); {@code -Drealitycheck.bench.encoding}.
     * Vectors come back packed, except with {@code floats}.
     */
    static final String ENCODING = System.getProperty("realitycheck.bench.encoding", "packed");

    private EmbedBenchmarkSupport() {
    }

    /** Exports, packs and loads the benchmark model into the service's registry; returns the zip. */
    static Path loadInto(ModelRegistry registry) throws Exception {
        Path zip = model();
        if (registry.served().isEmpty()) {
            registry.load(TestModels.manifest("bench-" + EmbedBenchmarkSupport.MODEL, 1), zip);
        }
        return zip;
    }

    /** Exports and packs the benchmark model; returns the zip. */
    static Path model() throws Exception {
        Path tmp = Files.createTempDirectory("embed-bench");
        Path dir = tmp.resolve(MODEL);
        Architecture architecture = switch (MODEL) {
            case "mlp" -> EmbeddingNetworks.mlp(InputSpec.image(28, 28, 1, Preprocessing.pixels()), 64, List.of(256));
            case "cnn" -> EmbeddingNetworks.cnn(28, 28, 64);
            case "resnet18" -> ResNetArchitecture.of(ResNetVariant.RESNET18, SIDE, SIDE, 128);
            case "resnet50" -> ResNetArchitecture.of(ResNetVariant.RESNET50, SIDE, SIDE, 128);
            default -> throw new IllegalArgumentException("realitycheck.bench.model is " + MODEL
                    + ": use mlp, cnn, resnet18 or resnet50");
        };
        EmbeddingNetworks.exportUntrained(architecture, 7, dir);
        Path zip = tmp.resolve(MODEL + ".zip");
        SavedModelArchive.pack(dir, zip);
        return zip;
    }

    /** Runs the standard scenarios against the service at {@code server} and prints them. */
    static void run(String mode, URL server, Path zip) throws Exception {
        StringBuilder out = new StringBuilder("\n=== embedding-service benchmark, " + MODEL + " " + SHAPE
                + ", micro-batching " + mode + " ===\n");
        try (var unpacked = SavedModelArchive.unpack(zip);
             SavedModelEmbedder model = SavedModelEmbedder.load(unpacked.directory(), 256)) {
            out.append(LoadGenerator.inProcess(model, BATCH, SECONDS)).append('\n');
            if (MODEL.startsWith("resnet")) {
                // a trunk: the batched call in process, then the same batch from one gRPC client
                out.append(LoadGenerator.grpc("gRPC Embed, batching " + mode, server.getHost(), server.getPort(),
                        SHAPE, 1, BATCH, SECONDS)).append('\n');
                System.out.println(out);
                return;
            }
            out.append(LoadGenerator.inProcess(model, 1, SECONDS)).append('\n');
        }
        out.append(LoadGenerator.grpc("gRPC GetModel (no TensorFlow)", server.getHost(), server.getPort(), 16, 1, SECONDS,
                stub -> stub.getModel(dev.realitycheck.proto.v1.GetModelRequest.getDefaultInstance()))).append('\n');
        out.append(LoadGenerator.grpc("gRPC Embed, batching " + mode, server.getHost(), server.getPort(), SHAPE, 16, 1,
                SECONDS)).append('\n');
        out.append(LoadGenerator.grpc("gRPC Embed, batching " + mode, server.getHost(), server.getPort(), SHAPE, 4, BATCH,
                SECONDS)).append('\n');
        System.out.println(out);
    }

    /** Micro-batching on (the default settings). */
    public static class On implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("realitycheck.embedding.micro-batching", "true");
        }
    }

    /** Micro-batching off: each request is its own TensorFlow call. */
    public static class Off implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("realitycheck.embedding.micro-batching", "false");
        }
    }
}
