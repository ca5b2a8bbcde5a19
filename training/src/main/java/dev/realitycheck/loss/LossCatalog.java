package dev.realitycheck.loss;

import dev.realitycheck.loss.distance.LpDistance;
import dev.realitycheck.loss.reducer.AvgNonZeroReducer;
import dev.realitycheck.loss.reducer.MeanReducer;
import dev.realitycheck.loss.distance.CosineSimilarity;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedSet;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Every loss by name, with pytorch-metric-learning's hyperparameter names and defaults: what a run
 * spec names. {@link #create} fills in the defaults, and rejects an unknown loss, an unknown
 * hyperparameter or an out-of-range value with an {@link IllegalArgumentException} whose message
 * names it (for the trainer's INVALID_ARGUMENT answer).
 */
public final class LossCatalog {

    /** One loss: its defaults (every accepted hyperparameter) and how it is made from them. */
    private record Entry(Map<String, Double> defaults, Function<Hyperparameters, Loss> factory) {
    }

    /** The resolved hyperparameters of one request, plus the data-dependent sizes. */
    private record Hyperparameters(String loss, Map<String, Double> values, int numClasses, int embeddingSize) {

        double get(String name) {
            return values.get(name);
        }

        int integer(String name) {
            double v = values.get(name);
            if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(loss + "." + name + " must be an integer, was " + v);
            }
            return (int) v;
        }

        boolean flag(String name) {
            double v = values.get(name);
            if (v != 0 && v != 1) {
                throw new IllegalArgumentException(loss + "." + name + " must be 0 or 1, was " + v);
            }
            return v == 1;
        }
    }

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        add("contrastive", Map.of("pos_margin", 0.0, "neg_margin", 1.0), h ->
                new ContrastiveLoss(h.get("pos_margin"), h.get("neg_margin"), new LpDistance(), new AvgNonZeroReducer()));
        add("triplet_margin", Map.of("margin", 0.05), h ->
                new TripletMarginLoss(h.get("margin"), new LpDistance(), new AvgNonZeroReducer()));
        add("ntxent", Map.of("temperature", 0.07), h ->
                new NTXentLoss(h.get("temperature"), new CosineSimilarity(), new MeanReducer()));
        add("multi_similarity", Map.of("alpha", 2.0, "beta", 50.0, "base", 0.5), h ->
                new MultiSimilarityLoss(h.get("alpha"), h.get("beta"), h.get("base"), new CosineSimilarity(),
                        new MeanReducer()));
        add("margin", Map.of("margin", 0.2, "nu", 0.0, "beta", 1.2, "learn_beta", 0.0, "beta_per_class", 0.0), h ->
                new MarginLoss(h.get("margin"), h.get("nu"), h.get("beta"), h.flag("learn_beta"),
                        h.flag("beta_per_class") ? h.numClasses() : 0, new LpDistance()));
        add("snr_contrastive", Map.of("pos_margin", 0.0, "neg_margin", 1.0), h ->
                new SnrContrastiveLoss(h.get("pos_margin"), h.get("neg_margin"), new AvgNonZeroReducer()));
        add("fastap", Map.of("num_bins", 10.0), h -> new FastAPLoss(h.integer("num_bins"), new MeanReducer()));
        add("proxy_nca", Map.of("softmax_scale", 1.0), h ->
                new ProxyNCALoss(h.numClasses(), h.embeddingSize(), h.get("softmax_scale"), new MeanReducer()));
        add("proxy_anchor", Map.of("margin", 0.1, "alpha", 32.0), h ->
                new ProxyAnchorLoss(h.numClasses(), h.embeddingSize(), h.get("margin"), h.get("alpha")));
        add("normalized_softmax", Map.of("temperature", 0.05), h ->
                new NormalizedSoftmaxLoss(h.numClasses(), h.embeddingSize(), h.get("temperature"), new MeanReducer()));
        add("cosface", Map.of("margin", 0.35, "scale", 64.0), h ->
                new CosFaceLoss(h.numClasses(), h.embeddingSize(), h.get("margin"), h.get("scale"), new MeanReducer()));
        add("arcface", Map.of("margin", 28.6, "scale", 64.0), h ->
                new ArcFaceLoss(h.numClasses(), h.embeddingSize(), h.get("margin"), h.get("scale"), new MeanReducer()));
        add("soft_triple", Map.of("centers_per_class", 10.0, "la", 20.0, "gamma", 0.1, "margin", 0.01), h ->
                new SoftTripleLoss(h.numClasses(), h.embeddingSize(), h.integer("centers_per_class"), h.get("la"),
                        h.get("gamma"), h.get("margin"), new MeanReducer()));
    }

    private LossCatalog() {
    }

    private static void add(String name, Map<String, Double> defaults, Function<Hyperparameters, Loss> factory) {
        ENTRIES.put(name, new Entry(Map.copyOf(defaults), factory));
    }

    /** @return the loss names, sorted */
    public static SequencedSet<String> names() {
        return new TreeSet<>(ENTRIES.keySet());
    }

    /**
     * @param name a loss name from {@link #names()}
     * @return its hyperparameters and their defaults
     */
    public static Map<String, Double> defaults(String name) {
        return entry(name).defaults();
    }

    /**
     * Makes a loss.
     *
     * @param name            a loss name from {@link #names()}
     * @param hyperparameters overrides of {@link #defaults(String)}; may be empty
     * @param numClasses      the number of training classes (for losses with class weights or
     *                        proxies, or a per-class β)
     * @param embeddingSize   the embedding width (for losses with class weights or proxies)
     * @return the loss
     * @throws IllegalArgumentException naming the unknown loss or hyperparameter, or the bad value
     */
    public static Loss create(String name, Map<String, Double> hyperparameters, int numClasses, int embeddingSize) {
        Entry entry = entry(name);
        Objects.requireNonNull(hyperparameters, "hyperparameters");
        Map<String, Double> values = new LinkedHashMap<>(entry.defaults());
        for (Map.Entry<String, Double> e : hyperparameters.entrySet()) {
            if (!entry.defaults().containsKey(e.getKey())) {
                throw new IllegalArgumentException("loss " + name + " has no hyperparameter " + e.getKey()
                        + "; it has " + new TreeSet<>(entry.defaults().keySet()));
            }
            if (e.getValue() == null || !Double.isFinite(e.getValue())) {
                throw new IllegalArgumentException(name + "." + e.getKey() + " must be finite, was " + e.getValue());
            }
            values.put(e.getKey(), e.getValue());
        }
        try {
            return entry.factory().apply(new Hyperparameters(name, values, numClasses, embeddingSize));
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            throw new IllegalArgumentException(message.startsWith(name + ".") ? message : name + ": " + message, e);
        }
    }

    private static Entry entry(String name) {
        Entry entry = ENTRIES.get(Objects.requireNonNull(name, "name"));
        if (entry == null) {
            throw new IllegalArgumentException("unknown loss '" + name + "'; known: " + names());
        }
        return entry;
    }
}
