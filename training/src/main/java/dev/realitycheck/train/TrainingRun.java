package dev.realitycheck.train;

import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.loss.Pairs;
import dev.realitycheck.loss.TupleIndices;
import dev.realitycheck.loss.Tuples;
import dev.realitycheck.loss.miner.Miner;
import dev.realitycheck.model.Architecture;
import dev.realitycheck.model.BatchNormMode;
import dev.realitycheck.model.GreyImages;
import dev.realitycheck.model.Initialization;
import dev.realitycheck.model.Initializer;
import dev.realitycheck.model.InputSpec;
import dev.realitycheck.model.Preprocessing;
import dev.realitycheck.model.SavedModelExporter;
import dev.realitycheck.model.SavedModelFeatures;
import dev.realitycheck.model.TrainingTrunk;
import dev.realitycheck.model.VariableSpec;
import dev.realitycheck.model.Weights;
import dev.realitycheck.train.seeds.Seeds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.stream.Stream;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A training run: the training graph of a {@link TrainingConfig} in its own TensorFlow graph and
 * session, the loop, and checkpoints.
 *
 * <p>The graph: the {@code images} placeholder (raw values, as the exported model takes them) or,
 * for grey images in memory fed unchanged (no augmentation, no feature extractor, up to
 * 256 MiB of floats), the whole training set held in one variable and a
 * {@code rows} placeholder of the batch's indices gathered from it (the same values, without
 * converting and copying a batch from Java every step), the
 * architecture's {@link Preprocessing}, its trunk on {@code Identity} reads of its
 * {@code VariableV2}s ({@link Architecture#trainingTrunk}, BatchNorm as
 * {@link TrainingConfig#batchNormMode()} says), the loss (with the loss's own variables and, with a
 * miner, fed tuples), gradients for the explicit trainable list (the network's variables except
 * BatchNorm moving statistics, and except gamma and beta when BatchNorm is
 * {@link BatchNormMode#FROZEN frozen}; then the loss's), and {@link ParameterUpdates} (with the
 * warm-up and clipping of {@link TrainingConfig#updates()}), which also
 * assigns the moving statistics their next values after each step in
 * {@link BatchNormMode#TRAINING training} mode. The moving statistics are variables of the graph like
 * any other, so they are part of the {@link TrainingState} and the exported model. Iteration {@code i} (from 0) trains
 * on {@link MPerClassSampler#batch(long) batch i}, augmented with the generator of position
 * {@code i}: everything random is addressed by the iteration, so a run resumed from a
 * {@link TrainingState} repeats an uninterrupted run bit for bit. With {@link TrainingData.Streamed}
 * data (an image dataset through the image pipeline) batch {@code i} comes from its producer,
 * opened on the same sampler at the run's iteration: also bit-identical after a resume.
 *
 * <p>Not thread-safe. Close it to free the native graph and session.
 */
public final class TrainingRun implements AutoCloseable {

    private final TrainingConfig config;
    private final TrainingData data;
    private final SavedModelFeatures features;
    /** What a streamed source builds: the network's image input, or the feature extractor's; null for in-memory data. */
    private final InputSpec streamedInput;
    private final MPerClassSampler sampler;
    private TrainingData.Batches streamed;
    private final Graph graph;
    private final Session session;
    private final VariableStore store;
    private final Placeholder<TFloat32> images;
    /**
     * The training images held in the graph (one variable of [N, input...], preprocessed once when
     * the run starts) when they are in memory and fed unchanged (no augmentation, no feature
     * extractor, the network's own channel count): a step then feeds only its batch's {@link #rows}
     * and gathers them in the graph instead of converting and copying B images from Java, and
     * preprocessing them again. Null otherwise.
     */
    private final VariableStore resident;
    private final Placeholder<TInt32> rows;
    private final Placeholder<TInt32> labels;
    private final Operand<TFloat32> embeddings;
    private final Operand<TFloat32> lossValue;
    private final TupleIndices.Placeholders tuples;
    private final Op train;
    private long iteration;
    private StepTimings timings = StepTimings.NONE;
    private boolean traceNext;
    private RunMetadata lastTrace;

    private TrainingRun(TrainingConfig config, TrainingData data, SavedModelFeatures features) {
        this.config = config;
        this.data = data;
        this.features = features;
        Architecture architecture = config.architecture();
        InputSpec input = architecture.spec().input();
        if (features != null && !input.equals(InputSpec.vector(features.featureSize()))) {
            throw new IllegalArgumentException("the architecture takes " + input.shape()
                    + ", the feature extractor gives [" + features.featureSize() + "]");
        }
        if (data instanceof TrainingData.Pixels(LabeledImages images)) {
            this.streamedInput = null;
            if (features != null) {
                List<Integer> image = features.inputShape();
                if (image.get(0) != images.height() || image.get(1) != images.width()) {
                    throw new IllegalArgumentException("the feature extractor takes " + image
                            + " images, the images are " + images.height() + " x " + images.width());
                }
            } else if (input.isImage() && input.channels() != 1 && input.channels() != 3) {
                throw new IllegalArgumentException("the images are grey-scale, the architecture wants "
                        + input.channels() + " channels");
            } else if (input.size() != images.pixelsPerImage() * channels(input)) {
                throw new IllegalArgumentException("the architecture takes " + input.size() + " values per item "
                        + input.shape() + ", the images have " + images.height() + " x " + images.width());
            }
        } else if (features != null) {
            // the pipeline crops at the extractor's input size, raw 0..255 values (its preprocessing is its own)
            this.streamedInput = features.imageInput();
        } else if (!input.isImage()) {
            throw new IllegalArgumentException("an image dataset needs an image input, the architecture takes "
                    + input.shape());
        } else {
            this.streamedInput = input;
        }
        this.sampler = new MPerClassSampler(data.labels(), config.m(), config.batchSize(), config.seed());
        this.graph = new Graph();
        Op preprocessResident = null;
        try {
            Ops tf = Ops.create(graph);
            store = new VariableStore(tf);
            Map<String, Operand<TFloat32>> networkReads = new LinkedHashMap<>();
            for (VariableSpec spec : architecture.variables()) {
                store.create(spec.name(), spec.dims());
                networkReads.put(spec.name(), store.read(spec.name()));
            }
            Map<String, Operand<TFloat32>> lossReads = new LinkedHashMap<>();
            for (VariableSpec spec : config.loss().parameters()) {
                store.create(spec.name(), spec.dims());
                lossReads.put(spec.name(), store.read(spec.name()));
            }
            images = tf.withName("images").placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(input.batchShape())));
            labels = tf.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
            // two halves of the batch through the trunk side by side when the settings ask for two or more
            // inter-op threads (not for TensorFlow's default, 0: on a shared machine whose second core is
            // busy the halves cost 11-18% more CPU per image); decided by the settings alone, so that a
            // resumed run builds the same graph anywhere
            boolean halves = config.threads().interOp() >= 2 && architecture.rowsIndependent(config.batchNormMode());
            List<Operand<TFloat32>> raws = new ArrayList<>();
            if (data instanceof TrainingData.Pixels(LabeledImages all) && features == null
                    && config.augmentation().isNone() && channels(input) == 1
                    && (long) all.count() * input.size() * Float.BYTES <= RESIDENT_BYTES) {
                resident = new VariableStore(tf);
                long[] dims = input.batchShape().clone();
                dims[0] = all.count();
                resident.create(RESIDENT, dims);
                rows = tf.withName("rows").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
                Operand<TFloat32> stored = resident.read(RESIDENT);
                // preprocessed in place once, after the raw values are assigned, by the ops a step
                // would run on its batch (element-wise, so the same values): a step only gathers
                // (the Mul and Add on [B, 784] were ~1.5% of an MLP step at batch 256)
                if (!input.preprocessing().isIdentity()) {
                    preprocessResident = tf.assign(resident.variable(RESIDENT),
                            preprocess(tf, stored, input.preprocessing()));
                }
                for (Operand<TInt32> part : halves ? BatchHalves.split(tf, rows) : List.of(rows)) {
                    raws.add(tf.gather(stored, part, tf.constant(0)));
                }
            } else {
                resident = null;
                rows = null;
                raws.addAll(halves ? BatchHalves.split(tf, images) : List.of(images));
            }
            List<TrainingTrunk> trunks = new ArrayList<>();
            for (Operand<TFloat32> raw : raws) {
                trunks.add(architecture.trainingTrunk(tf, resident != null ? raw : preprocess(tf, raw, input.preprocessing()),
                        networkReads, config.batchNormMode()));
            }
            TrainingTrunk trunk = trunks.getFirst();
            embeddings = trunks.size() == 1 ? trunk.output()
                    : tf.concat(trunks.stream().map(TrainingTrunk::output).toList(), tf.constant(0));
            List<String> trunkTrained = networkReads.keySet().stream()
                    .filter(name -> !trunk.notTrained().contains(name) && !Architecture.isEmbedderVariable(name)).toList();
            List<String> embedderTrained = networkReads.keySet().stream()
                    .filter(name -> !trunk.notTrained().contains(name) && Architecture.isEmbedderVariable(name)).toList();
            tuples = config.miner() == null ? null
                    : TupleIndices.placeholders(tf, tupleKind(config.miner()), "mined");
            lossValue = config.loss().build(tf, embeddings, labels, tuples == null ? null : tuples.indices(),
                    lossReads);
            List<String> trained = new ArrayList<>(trunkTrained);
            trained.addAll(embedderTrained);
            trained.addAll(lossReads.keySet());
            List<Operand<TFloat32>> at = trained.stream().map(store::read).toList();
            var dy = tf.gradients(lossValue, at);
            Map<String, Operand<TFloat32>> gradients = new LinkedHashMap<>();
            for (int i = 0; i < trained.size(); i++) {
                gradients.put(trained.get(i), dy.dy(i));
            }
            List<ParameterUpdates.Group> groups = new ArrayList<>();
            groups.add(new ParameterUpdates.Group(config.trunkOptimizer(), trunkTrained));
            if (!embedderTrained.isEmpty()) {
                groups.add(new ParameterUpdates.Group(config.embedderOptimizer(), embedderTrained));
            }
            if (!lossReads.isEmpty()) {
                groups.add(new ParameterUpdates.Group(config.lossOptimizer(), List.copyOf(lossReads.keySet())));
            }
            train = ParameterUpdates.build(tf, store, groups, gradients, trunk.assigned(), List.of(lossValue),
                    config.updates());
            session = new Session(graph, config.threads().config());
        } catch (RuntimeException | Error e) {
            graph.close();
            throw e;
        }
        if (resident != null) {
            try {
                LabeledImages all = ((TrainingData.Pixels) data).images();
                resident.assign(session, Map.of(RESIDENT,
                        all.rawImages(java.util.stream.IntStream.range(0, all.count()).toArray())));
                if (preprocessResident != null) {
                    try (Result done = session.runner().addTarget(preprocessResident).run()) {
                        assert done.size() == 0;
                    }
                }
            } catch (RuntimeException | Error e) {
                close();
                throw e;
            }
        }
    }

    /** The variable of {@link #resident}. */
    private static final String RESIDENT = "training_images";
    /** The most bytes of float values the training images may take to be held in the graph. */
    static final long RESIDENT_BYTES = 256L << 20;

    /**
     * Starts a run from freshly initialised variables: the network from
     * {@link Weights#initial}, the loss's parameters from their initializers (both under
     * {@link TrainingConfig#initialization()}), optimizer state zero.
     *
     * @param config the settings
     * @param data   the training images (of the training classes only)
     */
    public static TrainingRun start(TrainingConfig config, LabeledImages data) {
        return start(config, new TrainingData.Pixels(data), null, null);
    }

    /** @return the seed a run's random initial network values are drawn from ({@link Weights#initial}) */
    public static long initialSeed(TrainingConfig config) {
        return Seeds.random(config.seed(), Seeds.INITIAL, 0).nextLong();
    }

    /** {@link #start(TrainingConfig, TrainingData, Weights, SavedModelFeatures)} from given (pretrained) weights. */
    public static TrainingRun start(TrainingConfig config, LabeledImages data, Weights initial) {
        return start(config, new TrainingData.Pixels(data), Objects.requireNonNull(initial, "initial"), null);
    }

    /** {@link #start(TrainingConfig, TrainingData, Weights, SavedModelFeatures)} of an embedder on a feature extractor. */
    public static TrainingRun start(TrainingConfig config, LabeledImages data, SavedModelFeatures features) {
        return start(config, new TrainingData.Pixels(data), null, features);
    }

    /**
     * Starts a run: the network from {@code initial} (a pretrained trunk) or, when it is null, from
     * {@link Weights#initial} under {@link TrainingConfig#initialization()}; the loss's parameters
     * from their initializers; optimizer state zero. With {@code features}, the network is an
     * embedder on the features of a frozen extractor: each batch's (augmented) images go through
     * {@code features} forward only, and the embedder trains on what comes out; checkpoints chain
     * both ({@link SavedModelFeatures#exportChained}). Streamed data is then opened at the
     * extractor's image input (raw values), so its features come from each batch's crops.
     *
     * @param config   the settings
     * @param data     the training images (of the training classes only): grey images in memory
     *                 ({@link TrainingData.Pixels}, repeated to the channels the network or
     *                 extractor takes) or an image dataset streamed at the network's input size
     *                 ({@link TrainingData.Streamed}, [H,W,C] as the pipeline gives them)
     * @param initial  the network's starting values, of {@code config.architecture()}, or null
     * @param features the extractor, or {@code null} for a network on the images themselves; the
     *                 caller closes it after the run
     */
    public static TrainingRun start(TrainingConfig config, TrainingData data, Weights initial,
                                    SavedModelFeatures features) {
        if (initial != null && !initial.architecture().equals(config.architecture())) {
            throw new IllegalArgumentException("the initial weights belong to another architecture");
        }
        Weights network = initial != null ? initial
                : Weights.initial(config.architecture(), initialSeed(config), config.initialization());
        TrainingRun run = create(config, data, features);
        try {
            Map<String, float[]> values = new LinkedHashMap<>();
            for (String name : run.store.names()) {
                values.put(name, new float[run.store.size(name)]);
            }
            for (String name : network.names()) {
                values.put(name, network.get(name));
            }
            List<VariableSpec> parameters = config.loss().parameters();
            for (int i = 0; i < parameters.size(); i++) {
                VariableSpec spec = parameters.get(i);
                Initializer initializer = config.initialization() == Initialization.PYTORCH
                        ? config.loss().pytorchInitializer(spec) : spec.initializer();
                values.put(spec.name(), initializer.fill(spec, Seeds.random(config.seed(), Seeds.INITIAL, 1 + i)));
            }
            run.store.assign(run.session, values);
            run.iteration = 0;
            return run;
        } catch (RuntimeException | Error e) {
            run.close();
            throw e;
        }
    }

    /**
     * Resumes a run from a state file.
     *
     * @param config the same settings as the run that wrote it
     * @param data   the same training images
     * @param state  a {@link Checkpoint#state()} file
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException if it belongs to another seed or graph
     */
    public static TrainingRun resume(TrainingConfig config, LabeledImages data, Path state) throws IOException {
        return resume(config, new TrainingData.Pixels(data), state, null);
    }

    /** {@link #resume(TrainingConfig, TrainingData, Path, SavedModelFeatures)} of in-memory images. */
    public static TrainingRun resume(TrainingConfig config, LabeledImages data, Path state,
                                     SavedModelFeatures features) throws IOException {
        return resume(config, new TrainingData.Pixels(data), state, features);
    }

    /**
     * Resumes a run from a state file (see {@link #resume(TrainingConfig, LabeledImages, Path)}).
     *
     * @param config   the same settings as the run that wrote it
     * @param data     the same training data
     * @param state    a {@link Checkpoint#state()} file
     * @param features the same feature extractor, or null
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException if it belongs to another seed or graph
     */
    public static TrainingRun resume(TrainingConfig config, TrainingData data, Path state,
                                     SavedModelFeatures features) throws IOException {
        TrainingState saved = TrainingState.read(state);
        if (saved.seed() != config.seed()) {
            throw new IllegalArgumentException(state + " was written by a run with seed " + saved.seed()
                    + ", this run's seed is " + config.seed());
        }
        if (saved.iteration() > config.iterations()) {
            throw new IllegalArgumentException(state + " is at iteration " + saved.iteration()
                    + ", past this run's " + config.iterations() + " iterations");
        }
        TrainingRun run = create(config, data, features);
        try {
            if (!saved.values().keySet().equals(new java.util.HashSet<>(run.store.names()))) {
                throw new IllegalArgumentException(state + " holds variables " + saved.values().keySet()
                        + ", this run's graph has " + run.store.names());
            }
            run.store.assign(run.session, saved.values());
            run.iteration = saved.iteration();
            return run;
        } catch (RuntimeException | Error e) {
            run.close();
            throw e;
        }
    }

    /**
     * @param checkpoints a run's checkpoint directory
     * @return its checkpoint with the most iterations whose state file is complete, if any
     */
    public static Optional<Checkpoint> latestCheckpoint(Path checkpoints) throws IOException {
        return new CheckpointDirectory(checkpoints).latest();
    }

    private static TrainingRun create(TrainingConfig config, TrainingData data, SavedModelFeatures features) {
        return new TrainingRun(Objects.requireNonNull(config, "config"), Objects.requireNonNull(data, "data"),
                features);
    }

    /** @return the completed iterations */
    public long iteration() {
        return iteration;
    }

    /** Runs to the configured number of iterations. */
    public void run(TrainingListener listener) throws IOException {
        runUntil(config.iterations(), listener);
    }

    /**
     * Runs iterations until {@code target} are complete, checkpointing every
     * {@link TrainingConfig#checkpointInterval()} iterations and after the configured last one.
     *
     * @param target   completed iterations to stop at; at most {@link TrainingConfig#iterations()}
     * @param listener receives progress and checkpoints
     * @throws IOException if a checkpoint cannot be written
     */
    public void runUntil(long target, TrainingListener listener) throws IOException {
        Objects.requireNonNull(listener, "listener");
        if (target > config.iterations()) {
            throw new IllegalArgumentException("target must be at most iterations (" + config.iterations()
                    + "), was " + target);
        }
        while (iteration < target) {
            long started = System.nanoTime();
            float loss = step();
            iteration++;
            double seconds = (System.nanoTime() - started) / 1e9;
            listener.onProgress(new TrainingProgress(iteration, loss, config.batchSize() / seconds));
            if (iteration % config.checkpointInterval() == 0 || iteration == config.iterations()) {
                listener.onCheckpoint(checkpoint());
            }
        }
    }

    /** @return 3 for an RGB architecture (fed grey images repeated per channel), else 1 */
    private static int channels(InputSpec input) {
        return input.isImage() && input.channels() == 3 ? 3 : 1;
    }

    /** One update on batch {@link #iteration}; returns the loss before it. */
    private float step() throws IOException {
        long t0 = System.nanoTime();
        InputSpec input = config.architecture().spec().input();
        float[] x = null;
        int[] y;
        int[] batch = null;
        if (data instanceof TrainingData.Streamed producer) {
            TrainingData.Batch streamedBatch = streamedBatch(producer, streamedInput);
            x = streamedBatch.values();
            y = streamedBatch.labels();
            if (features != null) {
                x = features.features(x, y.length);
            }
        } else {
            LabeledImages pixels = ((TrainingData.Pixels) data).images();
            batch = sampler.batch(iteration);
            y = new int[batch.length];
            for (int i = 0; i < batch.length; i++) {
                y[i] = pixels.label(batch[i]);
            }
            if (resident == null) {
                x = pixels.rawImages(batch);
                if (input.isImage() || features != null) {
                    x = config.augmentation().apply(x, batch.length, pixels.height(), pixels.width(), 1,
                            Seeds.random(config.seed(), Seeds.AUGMENTATION, iteration));
                    x = GreyImages.toChannels(x, channels(input));
                }
                if (features != null) {
                    x = features.features(GreyImages.toChannels(x, features.inputShape().getLast()), batch.length);
                }
            }
        }
        int b = y.length;
        long[] shape = input.batchShape().clone();
        shape[0] = b;
        try (Tensor xt = resident != null ? TInt32.vectorOf(batch)
                : TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(x, true, false));
             TInt32 yt = TInt32.vectorOf(y)) {
            Operand<?> input0 = resident != null ? rows : images;
            long t1 = System.nanoTime();
            long t2 = t1;
            List<Tensor> fed = List.of();
            try {
                Session.Runner runner = session.runner().feed(input0, xt).feed(labels, yt);
                if (tuples != null) {
                    float[] e;
                    try (Result r = session.runner().feed(input0, xt).fetch(embeddings).run()) {
                        TFloat32 t = (TFloat32) r.get(0);
                        e = new float[(int) t.shape().size()];
                        t.asRawTensor().data().asFloats().read(e);
                    }
                    t2 = System.nanoTime();
                    fed = tuples.feed(runner, config.miner().mine(e, config.architecture().spec().embeddingSize(), y));
                }
                long t3 = System.nanoTime();
                if (traceNext) {
                    runner.setOptions(RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build());
                }
                try (Result r = traceNext ? runner.fetch(lossValue).addTarget(train).runAndFetchMetadata()
                        : runner.fetch(lossValue).addTarget(train).run()) {
                    if (traceNext) {
                        lastTrace = r.getMetadata().orElse(null);
                        traceNext = false;
                    }
                    float loss = ((TFloat32) r.get(0)).getFloat();
                    timings = timings.plus(t1 - t0, t2 - t1, t3 - t2, System.nanoTime() - t3);
                    return loss;
                }
            } finally {
                fed.forEach(Tensor::close);
            }
        }
    }

    /**
     * Batch {@link #iteration} from the streamed data, opened at the first batch this run needs
     * (so a resumed run's producer begins at its iteration).
     */
    private TrainingData.Batch streamedBatch(TrainingData.Streamed producer, InputSpec input) throws IOException {
        if (streamed == null) {
            streamed = producer.open(sampler, input, config.seed(), iteration);
        }
        TrainingData.Batch batch = streamed.next();
        if (batch.index() != iteration) {
            throw new IllegalStateException("the training data gave batch " + batch.index() + " for iteration "
                    + iteration);
        }
        return batch;
    }

    /**
     * For profiling: the training session call of the next step records TensorFlow's per-op
     * timings ({@link #lastTrace()}). Tracing slows that step down; leave it out of timed steps.
     */
    void traceNextStep() {
        traceNext = true;
    }

    /** @return the per-op timings of the last traced step, if any */
    Optional<RunMetadata> lastTrace() {
        return Optional.ofNullable(lastTrace);
    }

    /** @return where this run's steps (since it was created or resumed) spent their time */
    public StepTimings timings() {
        return timings;
    }

    /** @return the network's current weights, read out of the session */
    public Weights weights() {
        List<String> names = config.architecture().variables().stream().map(VariableSpec::name).toList();
        return Weights.of(config.architecture(), store.values(session, names));
    }

    /** @return every variable's value and the iteration: what {@link #resume} continues from */
    public TrainingState state() {
        SequencedMap<String, float[]> values = store.values(session);
        return new TrainingState(config.seed(), iteration, values);
    }

    /**
     * Writes the inference SavedModel and the training state of the current iteration, as the
     * scheduled checkpoints do (for checkpoints off the {@link TrainingConfig#checkpointInterval}
     * schedule, e.g. at a validation). Writing the same iteration again replaces it.
     *
     * @return the checkpoint
     * @throws IOException if it cannot be written
     */
    public Checkpoint checkpoint() throws IOException {
        Checkpoint checkpoint = new CheckpointDirectory(config.checkpoints()).checkpoint(iteration);
        Files.createDirectories(checkpoint.model().getParent());
        if (Files.exists(checkpoint.model())) {
            deleteRecursively(checkpoint.model());
        }
        if (features != null) {
            features.exportChained(weights(), checkpoint.model());
        } else {
            SavedModelExporter.export(weights(), checkpoint.model());
        }
        state().write(checkpoint.state());
        return checkpoint;
    }

    private static void deleteRecursively(Path path) throws IOException {
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The same affine preprocessing the exported inference graph applies. */
    private static Operand<TFloat32> preprocess(Ops tf, Operand<TFloat32> raw, Preprocessing p) {
        if (p.isIdentity()) {
            return raw;
        }
        int channels = p.channels();
        float[] a = new float[channels];
        float[] b = new float[channels];
        for (int c = 0; c < channels; c++) {
            a[c] = p.multiplier(c);
            b[c] = p.offset(c);
        }
        return tf.math.add(tf.math.mul(raw, tf.constant(a)), tf.constant(b));
    }

    /** Pairs or triplets, from the covariant return type of the miner's {@code mine}. */
    private static Class<? extends Tuples> tupleKind(Miner miner) {
        try {
            Class<?> kind = miner.getClass().getMethod("mine", float[].class, int.class, int[].class).getReturnType();
            if (kind == Pairs.class || kind == dev.realitycheck.loss.Triplets.class) {
                return kind.asSubclass(Tuples.class);
            }
            throw new IllegalArgumentException("miner " + miner.getClass().getSimpleName()
                    + " must declare mine() returning Pairs or Triplets, declares " + kind.getSimpleName());
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            if (streamed != null) {
                streamed.close();
            }
            session.close();
        } finally {
            graph.close();
        }
    }
}
