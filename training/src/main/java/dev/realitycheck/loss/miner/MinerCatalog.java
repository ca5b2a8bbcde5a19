package dev.realitycheck.loss.miner;

import dev.realitycheck.loss.distance.CosineSimilarity;
import dev.realitycheck.loss.distance.LpDistance;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedSet;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Every miner by name, with pytorch-metric-learning's hyperparameter names and defaults (the
 * triplet margin miner's type is part of the name). {@link #create} rejects an unknown miner, an
 * unknown hyperparameter or a bad value with a message naming it.
 */
public final class MinerCatalog {

    private record Entry(Map<String, Double> defaults, Function<Map<String, Double>, Miner> factory) {
    }

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        for (TripletMarginMiner.Type type : TripletMarginMiner.Type.values()) {
            ENTRIES.put("triplet_margin_" + type.name().toLowerCase(java.util.Locale.ROOT), new Entry(
                    Map.of("margin", 0.2), h -> new TripletMarginMiner(h.get("margin"), type, new LpDistance())));
        }
        ENTRIES.put("multi_similarity", new Entry(Map.of("epsilon", 0.1),
                h -> new MultiSimilarityMiner(h.get("epsilon"), new CosineSimilarity())));
        ENTRIES.put("batch_hard", new Entry(Map.of(), h -> new BatchHardMiner()));
        ENTRIES.put("pair_margin", new Entry(Map.of("pos_margin", 0.2, "neg_margin", 0.8),
                h -> new PairMarginMiner(h.get("pos_margin"), h.get("neg_margin"), new LpDistance())));
    }

    private MinerCatalog() {
    }

    /** @return the miner names, sorted */
    public static SequencedSet<String> names() {
        return new TreeSet<>(ENTRIES.keySet());
    }

    /**
     * @param name a miner name from {@link #names()}
     * @return its hyperparameters and their defaults
     * @throws IllegalArgumentException for an unknown miner
     */
    public static Map<String, Double> defaults(String name) {
        Entry entry = ENTRIES.get(Objects.requireNonNull(name, "name"));
        if (entry == null) {
            throw new IllegalArgumentException("unknown miner '" + name + "'; known: " + names());
        }
        return entry.defaults();
    }

    /**
     * @param name            a miner name from {@link #names()}
     * @param hyperparameters overrides of the defaults; may be empty
     * @return the miner
     * @throws IllegalArgumentException naming the unknown miner or hyperparameter, or the bad value
     */
    public static Miner create(String name, Map<String, Double> hyperparameters) {
        Entry entry = ENTRIES.get(Objects.requireNonNull(name, "name"));
        if (entry == null) {
            throw new IllegalArgumentException("unknown miner '" + name + "'; known: " + names());
        }
        Map<String, Double> values = new LinkedHashMap<>(entry.defaults());
        for (Map.Entry<String, Double> e : hyperparameters.entrySet()) {
            if (!entry.defaults().containsKey(e.getKey())) {
                throw new IllegalArgumentException("miner " + name + " has no hyperparameter " + e.getKey()
                        + "; it has " + new TreeSet<>(entry.defaults().keySet()));
            }
            values.put(e.getKey(), e.getValue());
        }
        try {
            return entry.factory().apply(values);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }
}
