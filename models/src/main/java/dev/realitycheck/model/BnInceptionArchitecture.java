package dev.realitycheck.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * BN-Inception (Inception-v2 with BatchNorm, Ioffe and Szegedy 2015), the trunk of the paper's
 * experiments, layer for layer as the published ImageNet weights use it (Cadene's
 * pretrained-models.pytorch {@code bninception}): a 7x7/2 stem, two ceil-mode max pools, ten
 * Inception modules (3a-3c, 4a-4e, 5a-5b; 3c and 4e halve the size, 5b pools by max), global
 * average pooling to {@value #FEATURES} features, then the embedder (linear to the embedding).
 *
 * <p><b>Input.</b> Raw 0..255 pixels, RGB ({@code [H, W, 3]}) or grey ({@code [H, W, 1]}, copied to
 * the three channels), so the {@link InputSpec}'s preprocessing is the identity: the published input
 * space (BGR, 0..255, minus the means {@link #BGR_MEAN}, std 1) is the trunk's first step, as it is
 * part of the published network. H and W must keep the branches of the two reducing modules the
 * same size: 224 (7x7 before the global pool), 64 (2x2) and 32 (1x1) do, 28 does not
 * ({@link #featureMapSize}).
 *
 * <p><b>Variables.</b> Per convolution {@code <layer>_kernel} {@code [kh, kw, in, out]} and
 * {@code <layer>_bias}; per BatchNorm {@code <layer>_bn_gamma}, {@code _bn_beta},
 * {@code _bn_moving_mean}, {@code _bn_moving_variance} (epsilon {@value #BATCH_NORM_EPSILON},
 * PyTorch's); layer names are the published ones ({@code conv1_7x7_s2}, {@code inception_3a_1x1},
 * ...), so {@link #publishedName} maps each variable to its key in the published state dict
 * (kernels there are {@code [out, in, kh, kw]}). The trunk has 10,270,240 parameters (kernels,
 * biases, gamma, beta) and 20,032 moving statistics.
 *
 * <p><b>Training.</b> BatchNorm as {@link BatchNormMode} says; with {@code trainTrunk} false the
 * whole trunk is a frozen feature extractor (inference form, no gradient reaches it) and only the
 * embedder trains.
 *
 * @param input         {@code [H, W, 1 or 3]}, identity preprocessing, H and W as above
 * @param embeddingSize the width of the embedder; positive
 * @param trainTrunk    whether the trunk's variables train (fine-tuning) or stay frozen
 */
public record BnInceptionArchitecture(InputSpec input, int embeddingSize, boolean trainTrunk)
        implements Architecture, PretrainedTrunk {

    /** The width of the pooled features, the embedder's input. */
    public static final int FEATURES = 1024;

    /** The published network's per-channel means, in its BGR order. */
    public static final List<Float> BGR_MEAN = List.of(104f, 117f, 128f);

    /** BatchNorm's epsilon, PyTorch's default, with which the published statistics were computed. */
    public static final float BATCH_NORM_EPSILON = 1e-5f;

    /** A convolution with bias, followed by BatchNorm and ReLU; padding on every side. */
    private record Conv(String name, int in, int out, int kernel, int stride, int padding) {
    }

    /**
     * An Inception module: branches 1x1; 3x3 reduce -> 3x3; double 3x3 reduce -> 3x3 -> 3x3; pool
     * -> projection; concatenated in that order. A reducing module (stride 2) has no 1x1 and no
     * projection, and its pool is the ceil-mode 3x3/2 max pool.
     */
    private record Module(String name, int in, int c1x1, int c3x3Reduce, int c3x3, int doubleReduce, int double3x3,
                          boolean maxPool, int poolProjection, int stride) {

        List<Conv> convs() {
            String p = "inception_" + name + "_";
            List<Conv> convs = new ArrayList<>();
            if (c1x1 > 0) {
                convs.add(new Conv(p + "1x1", in, c1x1, 1, 1, 0));
            }
            convs.add(new Conv(p + "3x3_reduce", in, c3x3Reduce, 1, 1, 0));
            convs.add(new Conv(p + "3x3", c3x3Reduce, c3x3, 3, stride, 1));
            convs.add(new Conv(p + "double_3x3_reduce", in, doubleReduce, 1, 1, 0));
            convs.add(new Conv(p + "double_3x3_1", doubleReduce, double3x3, 3, 1, 1));
            convs.add(new Conv(p + "double_3x3_2", double3x3, double3x3, 3, stride, 1));
            if (poolProjection > 0) {
                convs.add(new Conv(p + "pool_proj", in, poolProjection, 1, 1, 0));
            }
            return convs;
        }
    }

    private static final List<Conv> STEM = List.of(
            new Conv("conv1_7x7_s2", 3, 64, 7, 2, 3),
            new Conv("conv2_3x3_reduce", 64, 64, 1, 1, 0),
            new Conv("conv2_3x3", 64, 192, 3, 1, 1));

    private static final List<Module> MODULES = List.of(
            new Module("3a", 192, 64, 64, 64, 64, 96, false, 32, 1),
            new Module("3b", 256, 64, 64, 96, 64, 96, false, 64, 1),
            new Module("3c", 320, 0, 128, 160, 64, 96, true, 0, 2),
            new Module("4a", 576, 224, 64, 96, 96, 128, false, 128, 1),
            new Module("4b", 576, 192, 96, 128, 96, 128, false, 128, 1),
            new Module("4c", 576, 160, 128, 160, 128, 160, false, 128, 1),
            new Module("4d", 608, 96, 128, 192, 160, 192, false, 128, 1),
            new Module("4e", 608, 0, 128, 192, 192, 256, true, 0, 2),
            new Module("5a", 1056, 352, 192, 320, 160, 224, false, 128, 1),
            new Module("5b", 1024, 352, 192, 320, 192, 224, true, 128, 1));

    /** Validates the input (layout, channels, preprocessing, size) and the embedding size. */
    public BnInceptionArchitecture {
        Objects.requireNonNull(input, "input");
        if (!input.isImage() || (input.channels() != 1 && input.channels() != 3)) {
            throw new IllegalArgumentException("BN-Inception needs an image input [H, W, 1 or 3], was " + input.shape());
        }
        if (!input.preprocessing().isIdentity()) {
            throw new IllegalArgumentException("BN-Inception takes raw 0..255 pixels (its input space is part of the"
                    + " trunk): the preprocessing must be the identity, was " + input.preprocessing());
        }
        featureMapSize(input.shape().get(0));
        featureMapSize(input.shape().get(1));
        if (embeddingSize <= 0) {
            throw new IllegalArgumentException("embeddingSize must be positive, was " + embeddingSize);
        }
    }

    /** A fine-tuned trunk ({@code trainTrunk} true). */
    public BnInceptionArchitecture(InputSpec input, int embeddingSize) {
        this(input, embeddingSize, true);
    }

    /**
     * The side of the last feature map (before the global pool) for an input side, 7 for 224.
     *
     * @throws IllegalArgumentException if the side is too small or makes the branches of a reducing
     *                                  module (3c, 4e) differ in size (an odd side there)
     */
    public static int featureMapSize(int side) {
        int x = convolved(side, 7, 2, 3);
        x = ceilPooled(x);
        x = ceilPooled(x);
        for (String module : List.of("3c", "4e")) {
            if (x < 2 || x % 2 != 0) {
                throw new IllegalArgumentException("an input side of " + side + " gives a " + x + " map before module "
                        + module + ", whose strided 3x3 and ceil-mode pool would differ: use a side such as 32,"
                        + " 64 or 224");
            }
            x = convolved(x, 3, 2, 1);
        }
        return x;
    }

    private static int convolved(int side, int kernel, int stride, int padding) {
        return (side + 2 * padding - kernel) / stride + 1;
    }

    /** PyTorch's 3x3/2 max pool with {@code ceil_mode=True} and no padding. */
    private static int ceilPooled(int side) {
        return Math.ceilDiv(side - 3, 2) + 1;
    }

    @Override
    public ModelSpec spec() {
        return new ModelSpec(input, embeddingSize);
    }

    @Override
    public List<VariableSpec> variables() {
        List<VariableSpec> variables = new ArrayList<>();
        for (Conv conv : convs()) {
            String n = conv.name();
            variables.add(new VariableSpec(n + "_kernel", List.of(conv.kernel(), conv.kernel(), conv.in(), conv.out()),
                    Initializer.GLOROT_UNIFORM));
            variables.add(new VariableSpec(n + "_bias", List.of(conv.out()), Initializer.ZEROS));
            variables.add(new VariableSpec(n + "_bn_gamma", List.of(conv.out()), Initializer.ONES));
            variables.add(new VariableSpec(n + "_bn_beta", List.of(conv.out()), Initializer.ZEROS));
            variables.add(new VariableSpec(n + "_bn_moving_mean", List.of(conv.out()), Initializer.ZEROS));
            variables.add(new VariableSpec(n + "_bn_moving_variance", List.of(conv.out()), Initializer.ONES));
        }
        variables.add(new VariableSpec("embedder_kernel", List.of(FEATURES, embeddingSize), Initializer.GLOROT_UNIFORM));
        variables.add(new VariableSpec("embedder_bias", List.of(embeddingSize), Initializer.ZEROS));
        return List.copyOf(variables);
    }

    private static List<Conv> convs() {
        List<Conv> convs = new ArrayList<>(STEM);
        MODULES.forEach(m -> convs.addAll(m.convs()));
        return convs;
    }

    /** Every trunk variable from its {@link #publishedName}, kernels from PyTorch's {@code [out, in, kh, kw]}. */
    @Override
    public SequencedMap<String, WeightSource> weightSources() {
        SequencedMap<String, WeightSource> sources = new LinkedHashMap<>();
        for (VariableSpec v : variables()) {
            publishedName(v.name()).ifPresent(tensor -> sources.put(v.name(), new WeightSource(tensor,
                    v.name().endsWith("_kernel") ? WeightLayout.OIHW : WeightLayout.AS_IS)));
        }
        return sources;
    }

    /** The published classifier ({@code last_linear.*}) and PyTorch's {@code num_batches_tracked}. */
    @Override
    public boolean ignores(String tensor) {
        return tensor.startsWith("last_linear.") || tensor.endsWith(".num_batches_tracked");
    }

    /**
     * The key of a variable in the published PyTorch state dict: {@code <layer>_kernel} is
     * {@code <layer>.weight} (stored {@code [out, in, kh, kw]}), {@code <layer>_bias} is
     * {@code <layer>.bias}, {@code <layer>_bn_gamma}/{@code _beta}/{@code _moving_mean}/{@code _moving_variance}
     * are {@code <layer>_bn.weight}/{@code .bias}/{@code .running_mean}/{@code .running_var}.
     *
     * @param variable a variable name of this architecture
     * @return its published key; empty for the embedder, which is new
     */
    public static Optional<String> publishedName(String variable) {
        if (Architecture.isEmbedderVariable(variable)) {
            return Optional.empty();
        }
        for (String[] suffix : new String[][] {{"_bn_gamma", "_bn.weight"}, {"_bn_beta", "_bn.bias"},
                {"_bn_moving_mean", "_bn.running_mean"}, {"_bn_moving_variance", "_bn.running_var"},
                {"_kernel", ".weight"}, {"_bias", ".bias"}}) {
            if (variable.endsWith(suffix[0])) {
                return Optional.of(variable.substring(0, variable.length() - suffix[0].length()) + suffix[1]);
            }
        }
        throw new IllegalArgumentException("not a BN-Inception variable: " + variable);
    }

    @Override
    public TrainingTrunk trainingTrunk(Ops tf, Operand<TFloat32> input,
                                       Map<String, ? extends Operand<TFloat32>> variables, BatchNormMode batchNorm) {
        Objects.requireNonNull(batchNorm, "batchNorm");
        Graph g = new Graph(tf, variables, trainTrunk ? batchNorm : BatchNormMode.FROZEN);
        Operand<TFloat32> x = input.asOutput().shape().get(3) == 1
                ? tf.concat(List.of(input, input, input), tf.constant(3))
                : tf.reverse(input, tf.constant(new int[] {3}));
        float[] mean = new float[BGR_MEAN.size()];
        for (int c = 0; c < mean.length; c++) {
            mean[c] = BGR_MEAN.get(c);
        }
        x = tf.math.sub(x, tf.constant(mean));
        for (Conv conv : STEM) {
            x = g.conv(x, conv);
            if (conv.name().equals("conv1_7x7_s2")) {
                x = g.ceilMaxPool(x);
            }
        }
        x = g.ceilMaxPool(x);
        for (Module module : MODULES) {
            x = g.module(x, module);
        }
        Operand<TFloat32> features = tf.math.mean(x, tf.constant(new int[] {1, 2}));
        Set<String> notTrained = g.notTrained;
        if (!trainTrunk) {
            features = tf.stopGradient(features);
            variables().stream().map(VariableSpec::name).filter(n -> !Architecture.isEmbedderVariable(n))
                    .forEach(notTrained::add);
        }
        return new TrainingTrunk(MlpArchitecture.dense(tf, features, variables, "embedder"), notTrained, g.assigned);
    }

    /** Builds the trunk's layers, collecting the BatchNorm variables that no gradient trains. */
    private static final class Graph {
        private final Ops tf;
        private final Map<String, ? extends Operand<TFloat32>> variables;
        private final BatchNormMode batchNorm;
        private final Set<String> notTrained = new LinkedHashSet<>();
        private final Map<String, Operand<TFloat32>> assigned = new LinkedHashMap<>();

        Graph(Ops tf, Map<String, ? extends Operand<TFloat32>> variables, BatchNormMode batchNorm) {
            this.tf = tf;
            this.variables = variables;
            this.batchNorm = batchNorm;
        }

        /** Convolution (PyTorch's symmetric padding) with bias, BatchNorm, ReLU. */
        Operand<TFloat32> conv(Operand<TFloat32> x, Conv conv) {
            String padding = conv.padding() == 0 ? "VALID" : "SAME";
            if (conv.padding() > 0 && (conv.stride() != 1 || 2 * conv.padding() != conv.kernel() - 1)) {
                // TensorFlow's SAME pads strided convolutions more at the bottom and right than at the top
                int p = conv.padding();
                x = tf.pad(x, tf.constant(new int[][] {{0, 0}, {p, p}, {p, p}, {0, 0}}), tf.constant(0f));
                padding = "VALID";
            }
            Operand<TFloat32> y = tf.nn.conv2d(x, variables.get(conv.name() + "_kernel"),
                    List.of(1L, (long) conv.stride(), (long) conv.stride(), 1L), padding);
            y = tf.nn.biasAdd(y, variables.get(conv.name() + "_bias"));
            String bn = conv.name() + "_bn";
            Operand<TFloat32> gamma = variables.get(bn + "_gamma");
            Operand<TFloat32> beta = variables.get(bn + "_beta");
            Operand<TFloat32> mean = variables.get(bn + "_moving_mean");
            Operand<TFloat32> variance = variables.get(bn + "_moving_variance");
            notTrained.add(bn + "_moving_mean");
            notTrained.add(bn + "_moving_variance");
            Operand<TFloat32> normed;
            if (batchNorm == BatchNormMode.TRAINING) {
                BatchNorm.Training t = BatchNorm.training(tf, y, gamma, beta, mean, variance, BATCH_NORM_EPSILON);
                normed = t.output();
                assigned.put(bn + "_moving_mean", t.nextMovingMean());
                assigned.put(bn + "_moving_variance", t.nextMovingVariance());
            } else {
                normed = BatchNorm.inference(tf, y, gamma, beta, mean, variance, BATCH_NORM_EPSILON);
                notTrained.add(bn + "_gamma");
                notTrained.add(bn + "_beta");
            }
            return tf.nn.relu(normed);
        }

        /**
         * PyTorch's 3x3/2 max pool with {@code ceil_mode=True}: the last window may hang over the
         * bottom and right edge and takes the maximum of what it covers, as padding with the lowest
         * float there and pooling VALID does.
         */
        Operand<TFloat32> ceilMaxPool(Operand<TFloat32> x) {
            long h = x.asOutput().shape().get(1);
            long w = x.asOutput().shape().get(2);
            int padH = (int) ((ceilPooled((int) h) - 1) * 2 + 3 - h);
            int padW = (int) ((ceilPooled((int) w) - 1) * 2 + 3 - w);
            if (padH > 0 || padW > 0) {
                x = tf.pad(x, tf.constant(new int[][] {{0, 0}, {0, padH}, {0, padW}, {0, 0}}),
                        tf.constant(-Float.MAX_VALUE));
            }
            return Pooling.max(tf, x, 3, 2, "VALID");
        }

        Operand<TFloat32> module(Operand<TFloat32> x, Module m) {
            Map<String, Conv> convs = new LinkedHashMap<>();
            m.convs().forEach(c -> convs.put(c.name().substring(("inception_" + m.name() + "_").length()), c));
            List<Operand<TFloat32>> branches = new ArrayList<>();
            if (convs.containsKey("1x1")) {
                branches.add(conv(x, convs.get("1x1")));
            }
            branches.add(conv(conv(x, convs.get("3x3_reduce")), convs.get("3x3")));
            branches.add(conv(conv(conv(x, convs.get("double_3x3_reduce")), convs.get("double_3x3_1")),
                    convs.get("double_3x3_2")));
            Operand<TFloat32> pooled;
            if (m.stride() == 2) {
                pooled = ceilMaxPool(x);
            } else if (m.maxPool()) {
                pooled = Pooling.max(tf, x, 3, 1, "SAME"); // 5b: 3x3/1, padding 1, ignored by the max
            } else {
                // 3x3/1 average with padding 1 counted in the divisor (count_include_pad): zeros, then VALID
                Operand<TFloat32> padded = tf.pad(x, tf.constant(new int[][] {{0, 0}, {1, 1}, {1, 1}, {0, 0}}),
                        tf.constant(0f));
                pooled = Pooling.average(tf, padded, 3, 1, "VALID");
            }
            branches.add(convs.containsKey("pool_proj") ? conv(pooled, convs.get("pool_proj")) : pooled);
            return tf.concat(branches, tf.constant(3));
        }
    }
}
