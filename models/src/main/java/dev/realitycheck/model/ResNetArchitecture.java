package dev.realitycheck.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedMap;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A ResNet trunk with exactly the published layer structure ({@link ResNetVariant}), so published
 * weights fit: 7x7/2 convolution, BatchNorm, ReLU, 3x3/2 max-pool (padding 1), four stages of
 * blocks (64, 128, 256, 512 channels; the first block of stages 2-4 strides 2, and a block whose
 * input and output differ in shape adds a 1x1 convolution + BatchNorm shortcut), global average
 * pooling to 512 (ResNet-18) or 2048 features, then the linear embedder
 * ({@code embedder_kernel}, {@code embedder_bias}); {@link EmbeddingGraph} L2-normalises.
 *
 * <p>Padding is PyTorch's symmetric padding: a strided convolution or pooling gets an explicit
 * {@code Pad} and runs VALID (TensorFlow's SAME would pad the bottom and right only); stride-1
 * 3x3 convolutions run SAME, which is symmetric there.
 *
 * <p>Variable names are the weight files' own, with {@code .} and {@code /} made {@code _}:
 * torchvision's state_dict names ({@code conv1_weight}, {@code bn1_running_var},
 * {@code layer1_0_downsample_0_weight}, ...) and Keras' layer names ({@code conv1_conv_kernel},
 * {@code conv2_block1_1_bn_gamma}, ...). {@link #weightSources()} maps them back.
 *
 * @param variant       which ResNet
 * @param input         an RGB image input {@code [H, W, 3]}, H and W at least 32
 * @param embeddingSize the width of the embedder; positive
 * @param trainTrunk    false: the trunk is a fixed feature extractor in a training graph (no
 *                      variable of it trains, BatchNorm in its inference form); only the embedder
 *                      trains
 */
public record ResNetArchitecture(ResNetVariant variant, InputSpec input, int embeddingSize, boolean trainTrunk)
        implements Architecture, PretrainedTrunk {

    /** Validates the components. */
    public ResNetArchitecture {
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(input, "input");
        if (!input.isImage() || input.channels() != 3) {
            throw new IllegalArgumentException("a ResNet needs an RGB image input [H, W, 3], was " + input.shape());
        }
        if (input.shape().get(0) < 32 || input.shape().get(1) < 32) {
            throw new IllegalArgumentException("a ResNet needs H and W of at least 32, was " + input.shape());
        }
        if (embeddingSize <= 0) {
            throw new IllegalArgumentException("embeddingSize must be positive, was " + embeddingSize);
        }
    }

    /**
     * @return {@code variant} over {@code height x width} RGB images with the normalisation its
     *         weights expect ({@link ResNetVariant#preprocessing()}), the whole trunk trained
     */
    public static ResNetArchitecture of(ResNetVariant variant, int height, int width, int embeddingSize) {
        return new ResNetArchitecture(variant, InputSpec.image(height, width, 3, variant.preprocessing()),
                embeddingSize, true);
    }

    /** @return the same network with the trunk trained or fixed */
    public ResNetArchitecture withTrainTrunk(boolean train) {
        return new ResNetArchitecture(variant, input, embeddingSize, train);
    }

    @Override
    public ModelSpec spec() {
        return new ModelSpec(input, embeddingSize);
    }

    @Override
    public List<VariableSpec> variables() {
        Collect c = new Collect();
        walk(c, null);
        List<VariableSpec> all = new ArrayList<>(c.variables);
        all.add(new VariableSpec("embedder_kernel", List.of(variant.features(), embeddingSize),
                Initializer.GLOROT_UNIFORM));
        all.add(new VariableSpec("embedder_bias", List.of(embeddingSize), Initializer.ZEROS));
        return List.copyOf(all);
    }

    @Override
    public SequencedMap<String, WeightSource> weightSources() {
        Collect c = new Collect();
        walk(c, null);
        return c.sources;
    }

    @Override
    public boolean ignores(String tensor) {
        return variant.keras() ? tensor.startsWith("predictions/")
                : tensor.startsWith("fc.") || tensor.endsWith(".num_batches_tracked");
    }

    @Override
    public TrainingTrunk trainingTrunk(Ops tf, Operand<TFloat32> input,
                                       Map<String, ? extends Operand<TFloat32>> variables, BatchNormMode batchNorm) {
        Objects.requireNonNull(batchNorm, "batchNorm");
        Build b = new Build(tf, variables, trainTrunk ? batchNorm : BatchNormMode.FROZEN);
        Operand<TFloat32> features = walk(b, input);
        if (!trainTrunk) {
            variables.keySet().stream().filter(n -> !Architecture.isEmbedderVariable(n)).forEach(b.notTrained::add);
        }
        Operand<TFloat32> embedding = MlpArchitecture.dense(tf, features, variables, "embedder");
        return new TrainingTrunk(embedding, b.notTrained, b.assigned);
    }

    /** The layers as one pass over the structure either lists variables or builds the graph. */
    private interface Layers {
        Operand<TFloat32> conv(String name, int kernel, int in, int out, int stride, int pad, Operand<TFloat32> x);

        Operand<TFloat32> batchNorm(String name, int channels, Operand<TFloat32> x);

        Operand<TFloat32> relu(Operand<TFloat32> x);

        Operand<TFloat32> add(Operand<TFloat32> x, Operand<TFloat32> y);

        Operand<TFloat32> maxPool(Operand<TFloat32> x);

        Operand<TFloat32> globalAveragePool(Operand<TFloat32> x);
    }

    /** The network, from preprocessed images to pooled features. */
    private Operand<TFloat32> walk(Layers l, Operand<TFloat32> input) {
        boolean keras = variant.keras();
        // Keras' BGR input order is the preprocessing's colour order (Preprocessing.caffe()): no reversal here
        Operand<TFloat32> x = l.conv(keras ? "conv1_conv" : "conv1", 7, 3, 64, 2, 3, input);
        x = l.relu(l.batchNorm(keras ? "conv1_bn" : "bn1", 64, x));
        x = l.maxPool(x);
        int in = 64;
        int expansion = variant.bottleneck() ? 4 : 1;
        for (int s = 0; s < 4; s++) {
            int planes = 64 << s;
            for (int blk = 0; blk < variant.blocks().get(s); blk++) {
                int stride = blk == 0 && s > 0 ? 2 : 1;
                int out = planes * expansion;
                Operand<TFloat32> y;
                if (keras) {
                    String p = "conv" + (s + 2) + "_block" + (blk + 1) + "_";
                    y = l.relu(l.batchNorm(p + "1_bn", planes, l.conv(p + "1_conv", 1, in, planes, stride, 0, x)));
                    y = l.relu(l.batchNorm(p + "2_bn", planes, l.conv(p + "2_conv", 3, planes, planes, 1, 1, y)));
                    y = l.batchNorm(p + "3_bn", out, l.conv(p + "3_conv", 1, planes, out, 1, 0, y));
                    if (blk == 0) {
                        x = l.batchNorm(p + "0_bn", out, l.conv(p + "0_conv", 1, in, out, stride, 0, x));
                    }
                } else {
                    String p = "layer" + (s + 1) + "." + blk + ".";
                    if (variant.bottleneck()) {
                        y = l.relu(l.batchNorm(p + "bn1", planes, l.conv(p + "conv1", 1, in, planes, 1, 0, x)));
                        y = l.relu(l.batchNorm(p + "bn2", planes, l.conv(p + "conv2", 3, planes, planes, stride, 1, y)));
                        y = l.batchNorm(p + "bn3", out, l.conv(p + "conv3", 1, planes, out, 1, 0, y));
                    } else {
                        y = l.relu(l.batchNorm(p + "bn1", planes, l.conv(p + "conv1", 3, in, planes, stride, 1, x)));
                        y = l.batchNorm(p + "bn2", planes, l.conv(p + "conv2", 3, planes, planes, 1, 1, y));
                    }
                    if (stride != 1 || in != out) {
                        x = l.batchNorm(p + "downsample.1", out, l.conv(p + "downsample.0", 1, in, out, stride, 0, x));
                    }
                }
                x = l.relu(l.add(y, x));
                in = out;
            }
        }
        return l.globalAveragePool(x);
    }

    private static String variable(String tensor) {
        return tensor.replace('.', '_').replace('/', '_');
    }

    /** Per convolution its variables' names: kernel (and Keras' bias). */
    private List<String> convTensors(String name) {
        return variant.keras() ? List.of(name + "/vars/0", name + "/vars/1") : List.of(name + ".weight");
    }

    /** Per BatchNorm its tensors: gamma, beta, moving mean, moving variance. */
    private List<String> batchNormTensors(String name) {
        return variant.keras()
                ? List.of(name + "/vars/0", name + "/vars/1", name + "/vars/2", name + "/vars/3")
                : List.of(name + ".weight", name + ".bias", name + ".running_mean", name + ".running_var");
    }

    private List<String> batchNormVariables(String name) {
        if (variant.keras()) {
            return List.of(name + "_gamma", name + "_beta", name + "_moving_mean", name + "_moving_variance");
        }
        return batchNormTensors(name).stream().map(ResNetArchitecture::variable).toList();
    }

    private List<String> convVariables(String name) {
        return variant.keras() ? List.of(name + "_kernel", name + "_bias") : List.of(variable(name + ".weight"));
    }

    /** Lists the variables and their weight-file sources. */
    private final class Collect implements Layers {
        final List<VariableSpec> variables = new ArrayList<>();
        final SequencedMap<String, WeightSource> sources = new LinkedHashMap<>();

        private void add(String variable, List<Integer> shape, Initializer init, String tensor, WeightLayout layout) {
            variables.add(new VariableSpec(variable, shape, init));
            sources.put(variable, new WeightSource(tensor, layout));
        }

        @Override
        public Operand<TFloat32> conv(String name, int kernel, int in, int out, int stride, int pad,
                                      Operand<TFloat32> x) {
            List<String> v = convVariables(name);
            List<String> t = convTensors(name);
            add(v.get(0), List.of(kernel, kernel, in, out), Initializer.GLOROT_UNIFORM, t.get(0),
                    variant.keras() ? WeightLayout.AS_IS : WeightLayout.OIHW);
            if (variant.keras()) {
                add(v.get(1), List.of(out), Initializer.ZEROS, t.get(1), WeightLayout.AS_IS);
            }
            return null;
        }

        @Override
        public Operand<TFloat32> batchNorm(String name, int channels, Operand<TFloat32> x) {
            List<String> v = batchNormVariables(name);
            List<String> t = batchNormTensors(name);
            Initializer[] init = {Initializer.ONES, Initializer.ZEROS, Initializer.ZEROS, Initializer.ONES};
            for (int i = 0; i < 4; i++) {
                add(v.get(i), List.of(channels), init[i], t.get(i), WeightLayout.AS_IS);
            }
            return null;
        }

        @Override
        public Operand<TFloat32> relu(Operand<TFloat32> x) {
            return null;
        }

        @Override
        public Operand<TFloat32> add(Operand<TFloat32> x, Operand<TFloat32> y) {
            return null;
        }

        @Override
        public Operand<TFloat32> maxPool(Operand<TFloat32> x) {
            return null;
        }

        @Override
        public Operand<TFloat32> globalAveragePool(Operand<TFloat32> x) {
            return null;
        }
    }

    /** Builds the graph. */
    private final class Build implements Layers {
        private final Ops tf;
        private final Map<String, ? extends Operand<TFloat32>> variables;
        private final BatchNormMode mode;
        final Set<String> notTrained = new LinkedHashSet<>();
        final Map<String, Operand<TFloat32>> assigned = new LinkedHashMap<>();

        Build(Ops tf, Map<String, ? extends Operand<TFloat32>> variables, BatchNormMode mode) {
            this.tf = tf;
            this.variables = variables;
            this.mode = mode;
        }

        private Operand<TFloat32> pad(Operand<TFloat32> x, int pad) {
            return tf.pad(x, tf.constant(new int[][] {{0, 0}, {pad, pad}, {pad, pad}, {0, 0}}), tf.constant(0f));
        }

        @Override
        public Operand<TFloat32> conv(String name, int kernel, int in, int out, int stride, int pad,
                                      Operand<TFloat32> x) {
            List<String> v = convVariables(name);
            String padding = "VALID";
            if (pad > 0 && stride == 1 && kernel == 2 * pad + 1) {
                padding = "SAME";
            } else if (pad > 0) {
                x = pad(x, pad);
            }
            Operand<TFloat32> y = tf.nn.conv2d(x, variables.get(v.get(0)), List.of(1L, (long) stride, (long) stride, 1L),
                    padding);
            return variant.keras() ? tf.nn.biasAdd(y, variables.get(v.get(1))) : y;
        }

        @Override
        public Operand<TFloat32> batchNorm(String name, int channels, Operand<TFloat32> x) {
            List<String> v = batchNormVariables(name);
            notTrained.add(v.get(2));
            notTrained.add(v.get(3));
            if (mode == BatchNormMode.TRAINING) {
                BatchNorm.Training t = BatchNorm.training(tf, x, variables.get(v.get(0)), variables.get(v.get(1)),
                        variables.get(v.get(2)), variables.get(v.get(3)), variant.epsilon());
                assigned.put(v.get(2), t.nextMovingMean());
                assigned.put(v.get(3), t.nextMovingVariance());
                return t.output();
            }
            notTrained.add(v.get(0));
            notTrained.add(v.get(1));
            return BatchNorm.inference(tf, x, variables.get(v.get(0)), variables.get(v.get(1)),
                    variables.get(v.get(2)), variables.get(v.get(3)), variant.epsilon());
        }

        @Override
        public Operand<TFloat32> relu(Operand<TFloat32> x) {
            return tf.nn.relu(x);
        }

        @Override
        public Operand<TFloat32> add(Operand<TFloat32> x, Operand<TFloat32> y) {
            return tf.math.add(x, y);
        }

        @Override
        public Operand<TFloat32> maxPool(Operand<TFloat32> x) {
            // after a ReLU every value is >= 0, so zero padding pools as PyTorch's -inf padding does
            return Pooling.max(tf, pad(x, 1), 3, 2, "VALID");
        }

        @Override
        public Operand<TFloat32> globalAveragePool(Operand<TFloat32> x) {
            return tf.math.mean(x, tf.constant(new int[] {1, 2}));
        }
    }
}
