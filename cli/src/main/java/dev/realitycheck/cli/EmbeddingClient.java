package dev.realitycheck.cli;

import com.google.protobuf.ByteString;
import dev.realitycheck.data.Npy;
import dev.realitycheck.data.NpyArray;
import dev.realitycheck.proto.v1.DenseTensor;
import dev.realitycheck.proto.v1.Embedding;
import dev.realitycheck.proto.v1.EncodedImage;
import dev.realitycheck.proto.v1.Item;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code embed} and {@code search} share: a channel to the embedding service (plain text, or TLS
 * as {@link ServerTrust} says, with the {@link BearerToken}; every client command opens its channels here), and
 * turning files into items (PNG/JPEG as encoded images the server preprocesses as the checkpoint's
 * manifest says; each row of a 2-D .npy as a dense tensor in the packed little-endian float32 form). Bad files are {@link InputException}s.
 */
final class EmbeddingClient {

    private EmbeddingClient() {
    }

    static ManagedChannel channel(String server) {
        int colon = server.lastIndexOf(':');
        if (colon <= 0 || colon == server.length() - 1) {
            throw new InputException("--server must be HOST:PORT, got '" + server + "'");
        }
        int port;
        try {
            port = Integer.parseInt(server.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new InputException("--server port is not a number: '" + server + "'");
        }
        ManagedChannelBuilder<?> builder = Grpc.newChannelBuilderForAddress(server.substring(0, colon), port,
                ServerTrust.credentials());
        BearerToken.interceptor().ifPresent(builder::intercept);
        return builder.build();
    }

    /** The items of one file, ids {@code file} (images) or {@code file#row} (.npy rows). */
    static List<Item> items(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (name.endsWith(".npy")) {
                NpyArray array = Npy.readFloatMatrix(file);
                float[] values = array.asFloatMatrix();
                List<Item> items = new ArrayList<>();
                for (int r = 0; r < array.rows(); r++) {
                    DenseTensor.Builder t = DenseTensor.newBuilder().addShape(array.cols())
                            .setFloat32Le(pack(values, r * array.cols(), array.cols()));
                    items.add(Item.newBuilder().setId(file + "#" + r).setTensor(t).build());
                }
                return items;
            }
            String type = name.endsWith(".png") ? "image/png"
                    : name.endsWith(".jpg") || name.endsWith(".jpeg") ? "image/jpeg" : null;
            if (type == null) {
                throw new InputException(file + ": not a .npy, .png, .jpg or .jpeg file");
            }
            return List.of(Item.newBuilder().setId(file.toString()).setImage(EncodedImage.newBuilder()
                    .setData(ByteString.copyFrom(Files.readAllBytes(file))).setMediaType(type)).build());
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file");
        } catch (IOException e) {
            throw new InputException(e.getMessage());
        }
    }

    /** {@code length} values from {@code offset} as little-endian float32 bytes (the API's packed form). */
    static ByteString pack(float[] values, int offset, int length) {
        ByteBuffer bytes = ByteBuffer.allocate(length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values, offset, length);
        return ByteString.copyFrom(bytes.array());
    }

    /** The components of an embedding, whichever form the server sent (packed or repeated float). */
    static float[] values(Embedding embedding) {
        if (embedding.getFloat32Le().isEmpty()) {
            float[] v = new float[embedding.getValuesCount()];
            for (int j = 0; j < v.length; j++) {
                v[j] = embedding.getValues(j);
            }
            return v;
        }
        float[] v = new float[embedding.getFloat32Le().size() / Float.BYTES];
        embedding.getFloat32Le().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }

    /**
     * A server error as one line; when nothing answers at {@code server} (connection refused, no
     * such host), that address and how to start the local stack instead of gRPC's
     * "UNAVAILABLE: io exception".
     */
    static String describe(StatusRuntimeException e, String server) {
        return unreachable(e) ? "nothing answers at " + server + "; start the local stack with bin/realitycheck up"
                : describe(e);
    }

    /** True when the call failed because no server could be reached (not an error a server sent). */
    static boolean unreachable(StatusRuntimeException e) {
        if (e.getStatus().getCode() != io.grpc.Status.Code.UNAVAILABLE) {
            return false;
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        String description = e.getStatus().getDescription();
        return description == null || description.equals("io exception");
    }

    /** A server error as one line: the status code and its description. */
    static String describe(StatusRuntimeException e) {
        return e.getStatus().getCode() + (e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription());
    }
}
