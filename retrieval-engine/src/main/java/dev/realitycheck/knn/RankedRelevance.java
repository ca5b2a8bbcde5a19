package dev.realitycheck.knn;

import java.util.Arrays;

/**
 * Which of a query's {@link #count()} nearest references share its label, best first (exact ties:
 * ascending index), written as the maximal runs of relevant ranks: run {@code i} covers ranks
 * {@code [start(i), end(i))}, runs ascend and never touch (a run ends where an irrelevant rank
 * follows). The same ranking always gives the same runs, whichever search path produced it, so a
 * metric computed from them does not depend on the path.
 *
 * <p>Rank metrics read it in time proportional to the runs, not to k: on large classes (MAP@R's
 * R of thousands) the nearest references come in long relevant stretches. Mutable and reused by
 * the search (one per worker): read it inside {@link RelevanceSink#accept} only.
 */
public final class RankedRelevance {

    /** {@code bounds[2i]} and {@code bounds[2i + 1]}: start and end of run i. */
    private int[] bounds;
    private int runs;
    private int count;

    /** @param capacity the largest {@link #count()} it will hold without growing */
    RankedRelevance(int capacity) {
        bounds = new int[capacity + 2];
    }

    /** The ranking of {@code relevant[0, count)}, rank by rank (the small-k paths, oracles). */
    public static RankedRelevance of(boolean[] relevant, int count) {
        RankedRelevance out = new RankedRelevance(count);
        out.clear(count);
        for (int i = 0; i < count; i++) {
            if (relevant[i]) {
                out.add(i, i + 1);
            }
        }
        return out;
    }

    /** How many nearest references were ranked. */
    public int count() {
        return count;
    }

    /** How many runs of relevant ranks there are. */
    public int runs() {
        return runs;
    }

    /** First rank of run {@code i} (0-based rank: 0 is the nearest). */
    public int start(int i) {
        return bounds[2 * i];
    }

    /** One past the last rank of run {@code i}. */
    public int end(int i) {
        return bounds[2 * i + 1];
    }

    /** Starts an empty ranking of {@code count} references. */
    void clear(int count) {
        if (bounds.length < count + 2) {
            bounds = Arrays.copyOf(bounds, count + 2);
        }
        this.count = count;
        this.runs = 0;
    }

    /**
     * Marks ranks {@code [start, end)} relevant; calls come in ascending rank order, and a call
     * that continues the last run extends it.
     */
    void add(int start, int end) {
        if (runs > 0 && bounds[2 * runs - 1] == start) {
            bounds[2 * runs - 1] = end;
            return;
        }
        bounds[2 * runs] = start;
        bounds[2 * runs + 1] = end;
        runs++;
    }

    /**
     * Marks relevant each rank {@code p} of {@code [from, to)} whose {@code flagged[p]} has its
     * lowest bit set; {@code from} is past every rank marked so far. Branch-free (a rank's
     * relevance is as good as random where classes mix): every rank writes its run bound, kept only
     * where relevance changes.
     */
    void addFlagged(long[] flagged, int from, int to) {
        int[] b = bounds;
        int prev = 0; // relevance of the rank before
        int w = 2 * runs; // the next bound to write: a start at even w, an end at odd w
        if (runs > 0 && b[w - 1] == from) { // continues the last run: reopen it
            prev = 1;
            w--;
        }
        for (int p = from; p < to; p++) {
            int bit = (int) flagged[p] & 1;
            b[w] = p; // kept (w moves on) only where relevance changes
            w += bit ^ prev;
            prev = bit;
        }
        if (prev == 1) {
            b[w++] = to;
        }
        runs = w >> 1;
    }
}
