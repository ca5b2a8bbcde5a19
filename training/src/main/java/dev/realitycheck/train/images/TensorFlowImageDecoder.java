package dev.realitycheck.train.images;

import dev.realitycheck.data.images.RgbImage;
import java.io.IOException;
import java.util.Objects;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.image.DecodeImage;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;

/**
 * Decodes JPEG, PNG, GIF (first frame) and BMP bytes with TensorFlow's own {@code DecodeImage} op
 * (libjpeg-turbo, libpng) to 8-bit RGB: grey is replicated, alpha dropped. It measured faster per
 * core than the JDK's {@code ImageIO.read} on 500x375 JPEGs (docs/training.md, {@code bin/bench-images}).
 *
 * <p>One graph and session, run in the calling thread (inter-op pool disabled, one intra-op
 * thread), so concurrent callers (the pipeline's workers) each decode on their own thread; the
 * session is thread-safe. Close it to free the native graph and session; every tensor of a call is
 * closed before the call returns.
 */
public final class TensorFlowImageDecoder implements AutoCloseable {

    private final Graph graph;
    private final Session session;
    private final Placeholder<TString> contents;
    private final DecodeImage<TUint8> decoded;

    /** Builds the decoding graph. */
    public TensorFlowImageDecoder() {
        graph = new Graph();
        try {
            Ops tf = Ops.create(graph);
            contents = tf.placeholder(TString.class);
            decoded = tf.image.decodeImage(contents, TUint8.class, DecodeImage.channels(3L),
                    DecodeImage.expandAnimations(false));
            // negative inter-op threads: every op runs in the caller's thread
            session = new Session(graph, ConfigProto.newBuilder().setIntraOpParallelismThreads(1)
                    .setInterOpParallelismThreads(-1).build());
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    /**
     * @param bytes the encoded image
     * @param name  what to call it in an error (its file)
     * @return the decoded RGB image
     * @throws IOException naming {@code name} if the bytes are not a decodable image
     */
    public RgbImage decode(byte[] bytes, String name) throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length == 0) {
            throw new IOException(name + ": empty file, not an image");
        }
        try (TString in = TString.tensorOfBytes(NdArrays.scalarOfObject(bytes));
             Result result = session.runner().feed(contents, in).fetch(decoded).run()) {
            TUint8 image = (TUint8) result.get(0);
            long[] shape = image.shape().asArray();
            byte[] rgb = new byte[Math.toIntExact(image.shape().size())];
            image.asRawTensor().data().read(rgb);
            return new RgbImage(Math.toIntExact(shape[1]), Math.toIntExact(shape[0]), rgb);
        } catch (TensorFlowException | IllegalArgumentException e) {
            throw new IOException(name + ": not a decodable image (" + e.getMessage() + ")", e);
        }
    }

    /** Closes the session and the graph. */
    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
