package dev.realitycheck.embedding.batching;

import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;

/**
 * One request's validated inputs, row-major, item after item, written once straight into the input
 * tensor of the batch that runs them ({@link MicroBatcher.Inputs#writeTo}). A request's tensors stay in
 * the bytes it arrived in until then: no array of the whole request is built on the way.
 */
public interface RequestInputs {

    /** @return the number of values, items x values per item */
    int length();

    /**
     * Writes the {@link #length()} values into {@code target} from its index 0 (e.g. a slice of a
     * TensorFlow input tensor's native buffer).
     */
    void writeTo(FloatDataBuffer target);

    /** @return all values in one array (a new one, unless the inputs already are an array) */
    default float[] toArray() {
        float[] values = new float[length()];
        writeTo(DataBuffers.of(values, false, false));
        return values;
    }

    /** @return inputs that are already an array (e.g. in tests); the array is not copied */
    static RequestInputs of(float[] values) {
        return new RequestInputs() {
            @Override
            public int length() {
                return values.length;
            }

            @Override
            public void writeTo(FloatDataBuffer target) {
                target.write(values, 0, values.length);
            }

            @Override
            public float[] toArray() {
                return values;
            }
        };
    }
}
