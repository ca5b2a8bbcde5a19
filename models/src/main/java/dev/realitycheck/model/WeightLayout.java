package dev.realitycheck.model;

import java.util.List;

/**
 * How a weight file lays out a variable compared with this project's graph: kernels here are
 * {@code [kh, kw, in, out]} (convolution, TensorFlow's HWIO) and {@code [in, out]} (dense).
 */
public enum WeightLayout {

    /** The same layout (Keras kernels, BatchNorm vectors, biases). */
    AS_IS,
    /** PyTorch's convolution kernels {@code [out, in, kh, kw]}, transposed to {@code [kh, kw, in, out]}. */
    OIHW,
    /** PyTorch's linear weights {@code [out, in]}, transposed to {@code [in, out]}. */
    OUT_IN;

    /** @return the shape the file must hold for a variable of {@code shape} */
    public List<Integer> fileShape(List<Integer> shape) {
        return switch (this) {
            case AS_IS -> shape;
            case OIHW -> List.of(shape.get(3), shape.get(2), shape.get(0), shape.get(1));
            case OUT_IN -> List.of(shape.get(1), shape.get(0));
        };
    }

    /**
     * @param values the file's values, row-major in {@link #fileShape(List) fileShape(shape)}
     * @param shape  the variable's shape
     * @return the values row-major in {@code shape}
     */
    public float[] toVariable(float[] values, List<Integer> shape) {
        return transpose(values, shape, true);
    }

    /**
     * The inverse of {@link #toVariable}: what a weight file holds for a variable.
     *
     * @param values the variable's values, row-major in {@code shape}
     * @param shape  the variable's shape
     * @return the values row-major in {@link #fileShape(List) fileShape(shape)}
     */
    public float[] toFile(float[] values, List<Integer> shape) {
        return transpose(values, shape, false);
    }

    /** One index mapping for both directions: file index {@code f}, variable index {@code v}. */
    private float[] transpose(float[] values, List<Integer> shape, boolean toVariable) {
        float[] result = new float[values.length];
        switch (this) {
            case AS_IS -> System.arraycopy(values, 0, result, 0, values.length);
            case OIHW -> {
                int kh = shape.get(0), kw = shape.get(1), in = shape.get(2), out = shape.get(3);
                for (int o = 0; o < out; o++) {
                    for (int i = 0; i < in; i++) {
                        for (int h = 0; h < kh; h++) {
                            for (int w = 0; w < kw; w++) {
                                int v = ((h * kw + w) * in + i) * out + o;
                                int f = ((o * in + i) * kh + h) * kw + w;
                                result[toVariable ? v : f] = values[toVariable ? f : v];
                            }
                        }
                    }
                }
            }
            case OUT_IN -> {
                int in = shape.get(0), out = shape.get(1);
                for (int o = 0; o < out; o++) {
                    for (int i = 0; i < in; i++) {
                        int v = i * out + o;
                        int f = o * in + i;
                        result[toVariable ? v : f] = values[toVariable ? f : v];
                    }
                }
            }
        }
        return result;
    }
}
