package dev.realitycheck.knn;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Exact k-nearest-neighbour search, blockwise: the full query x reference score matrix is never
 * materialised, only {@link DotKernel#MR} x {@code nr} tiles that feed per-query bounded heaps.
 *
 * <p>With query set = reference set ({@link #searchSelf}) the score matrix is symmetric, so each
 * pair of blocks is computed once and feeds the top-k of both sides (half the arithmetic), as
 * long as one heap per thread for every row fits {@link #symmetricHeapBudgetBytes}; above that
 * (very large k) it falls back to streaming query blocks, whose memory is bounded by the block.
 *
 * <p>For k above {@link #heapMaxK(int)} (e.g. MAP@R's R of thousands) heaps lose: blocks of
 * whole rows are scored into sortable keys and each row's k best are picked by
 * {@link RadixTopK} ({@link RowSelectWorker}), unless there are at least
 * {@link #CANDIDATE_REFS_PER_K} references per neighbour (e.g. 250,000 rows, k = 149): then
 * query blocks meet cached reference blocks and each row keeps only the scores that pass its
 * running threshold ({@link CandidateWorker}).
 *
 * <p>Exact ties are broken by ascending reference index; a query never retrieves the reference
 * it is excluded from (itself), but does retrieve exact duplicates at other indices.
 */
public final class ExactKnn {

    /** Rows per block; a multiple of every kernel's tile sizes. */
    static final int BLOCK = 256;

    /**
     * Bounded heaps (symmetric or streaming) serve k up to {@link #heapMaxK(int)}, which lies
     * between {@value #HEAP_MIN_K} and this; above it every row is scored whole and selected
     * with {@link RadixTopK}.
     */
    static final int HEAP_MAX_K = 128;

    /** The smallest k that may take the whole-row path (see {@link #heapMaxK(int)}). */
    static final int HEAP_MIN_K = 16;

    /**
     * The largest k served by bounded heaps for vectors of dimension {@code dim}:
     * {@code dim / 4} within [{@value #HEAP_MIN_K}, {@value #HEAP_MAX_K}]. Heaps let query = reference
     * score each pair once (half the dot products) but every insert walks a heap of k, so they
     * lose to the whole-row radix selection (all dot products, a near-constant selection cost)
     * once k is large against the cost of a dot product. Measured (self search, 2 threads,
     * 2 shared cores): 35,000 x 64, heaps 1.29 / 2.27 / 3.40 s wall at k = 16 / 64 / 128 against
     * a flat 1.15-1.17 s; 5,924 x 128, even at k = 32 (0.18 against 0.16 s CPU) and heaps 50%
     * slower at 64; 20,000 x 512, heaps 2.5 / 3.0 / 5.0 s CPU at k = 16 / 64 / 256 against a
     * flat 5.2-5.3 s.
     */
    static int heapMaxK(int dim) {
        return Math.max(HEAP_MIN_K, Math.min(HEAP_MAX_K, dim / 4));
    }

    /**
     * Largest problem (queries x references) on which a {@link #oneShot()} engine lets the heap
     * paths serve k up to twice {@link #heapMaxK(int)} (at most {@value #HEAP_MAX_K}). In a process
     * that runs one search and exits, most of the search's CPU is the JIT compiling the path it
     * takes, and the whole-row path ({@link RowSelectWorker}, {@link RadixTopK}, the row kernels)
     * has several times the code of the heap path ({@link PairWorker}, {@link NeighbourHeaps}).
     * Measured 2026-12-07 (whole {@code evaluate} processes started by a script, 2 shared cores at
     * load 7-9, the CPU of every thread, medians of 4-5 alternating runs): 5,924 x 128, k = 59,
     * heaps 1.42 against 1.75-1.82 s (C2 0.47 against 0.76-0.79 s); 8,192 x 128, k = 63, 1.67
     * against 1.80 s. Warm, in one JVM, heaps cost more at 5,924 x 128: 0.22-0.29 against
     * 0.15-0.25 s per evaluation, so long-running processes keep {@link #heapMaxK(int)}.
     */
    static final long ONE_SHOT_PAIRS = 1L << 26;

    /** Tile calls and their dimension before a one-shot search (see {@link #compileKernelWhole()}). */
    static final int WHOLE_COMPILE_CALLS = 24;
    static final int WHOLE_COMPILE_DIM = 16;

    /**
     * Memory one worker may use for whole-row keys in the large-k path. Small, so that a block of
     * rows is still in cache (L2/L3) when its selection reads it back: on the demo shape (35,000
     * references, so 8 rows a block) 2 MiB took 10% less CPU than 48 MiB.
     */
    static final long ROW_SELECT_BUDGET_BYTES = 2L << 20;

    /**
     * Above {@link #heapMaxK(int)}, references per neighbour from which the candidate path
     * ({@link CandidateWorker}: query blocks against cached reference blocks, a running threshold
     * per row) replaces whole rows ({@link RowSelectWorker}). Whole rows cost a key store and a
     * selection pass per pair and, with 2 MiB of keys per worker, stream the reference set from
     * memory for every few rows once it outgrows the cache; the candidate path's filter costs one
     * vector compare per pair but lets through more of a row the fewer references there are per
     * neighbour. Measured (cosine, 2 threads, 2 shared cores under load 11-17, CPU per pair,
     * same data and JVM, alternating): 250,000 x 128 references, k = 149 (1,678 per neighbour),
     * 3.0 against 6.0-6.6 ns; 40,000 x 128, k = 149 (268), 3.5 against 5.7 ns; 5,924 x 128,
     * k = 59 (100), 8.8 against 9.4-12 ns; 20,000 x 128, k = 500 (40), 6.7-6.9 against
     * 4.5-4.9 ns; 35,000 x 128, k = 1,500 (23), 8.9-9.2 against 8.4 ns. The dot products alone
     * take 2.2-2.4 ns per pair at dimension 128 (AVX-512).
     */
    static final int CANDIDATE_REFS_PER_K = 256;

    /** Turns internal scores into user-facing ones for one query. */
    @FunctionalInterface
    interface ScoreConverter {
        void toNatural(float[] scores, int count, float querySquaredNorm);
    }

    private final KnnDistance distance;
    private final int threads;
    private final DotKernel kernel;
    private final long symmetricHeapBudgetBytes;
    private final RowSelectWorker.Selection rowSelection;
    private final int candidateRefsPerK;
    private final boolean oneShot;

    /** Uses {@link DotKernel#best()} and a 256 MiB budget for symmetric-mode heaps. */
    public ExactKnn(KnnDistance distance, int threads) {
        this(distance, threads, DotKernel.best(), 256L << 20);
    }

    /**
     * @param distance                 how closeness is measured
     * @param threads                  worker threads, at least 1
     * @param kernel                   tile kernel (its {@code nr()} must divide {@value #BLOCK})
     * @param symmetricHeapBudgetBytes largest heap memory the symmetric path may use
     */
    public ExactKnn(KnnDistance distance, int threads, DotKernel kernel, long symmetricHeapBudgetBytes) {
        this(distance, threads, kernel, symmetricHeapBudgetBytes, RowSelectWorker.Selection.RADIX,
                CANDIDATE_REFS_PER_K);
    }

    /** As the public constructor, with the large-k path's row selection chosen (benchmarks, tests). */
    ExactKnn(KnnDistance distance, int threads, DotKernel kernel, long symmetricHeapBudgetBytes,
             RowSelectWorker.Selection rowSelection) {
        this(distance, threads, kernel, symmetricHeapBudgetBytes, rowSelection, CANDIDATE_REFS_PER_K);
    }

    /**
     * As the public constructor, with the large-k path's row selection and the candidate path's
     * references per neighbour ({@link #CANDIDATE_REFS_PER_K}) chosen (benchmarks, tests).
     */
    ExactKnn(KnnDistance distance, int threads, DotKernel kernel, long symmetricHeapBudgetBytes,
             RowSelectWorker.Selection rowSelection, int candidateRefsPerK) {
        this(distance, threads, kernel, symmetricHeapBudgetBytes, rowSelection, candidateRefsPerK, false);
    }

    private ExactKnn(KnnDistance distance, int threads, DotKernel kernel, long symmetricHeapBudgetBytes,
                     RowSelectWorker.Selection rowSelection, int candidateRefsPerK, boolean oneShot) {
        if (distance == null) {
            throw new IllegalArgumentException("distance must not be null");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (BLOCK % kernel.nr() != 0 || BLOCK % DotKernel.MR != 0) {
            throw new IllegalArgumentException("kernel tile " + DotKernel.MR + "x" + kernel.nr()
                    + " does not divide the block size " + BLOCK);
        }
        this.distance = distance;
        this.threads = threads;
        this.kernel = kernel;
        this.symmetricHeapBudgetBytes = symmetricHeapBudgetBytes;
        this.rowSelection = rowSelection;
        this.candidateRefsPerK = candidateRefsPerK;
        this.oneShot = oneShot;
    }

    /**
     * This engine for a process that runs one search and exits (the command-line {@code evaluate}):
     * the same neighbours, by a path chosen for the fewest compiled methods on small problems
     * (see {@link #ONE_SHOT_PAIRS}), after a few short tile calls that spare the JIT an
     * on-stack-replacement compile of the kernel (see {@link #compileKernelWhole()}).
     */
    public ExactKnn oneShot() {
        return new ExactKnn(distance, threads, kernel, symmetricHeapBudgetBytes, rowSelection, candidateRefsPerK,
                true);
    }

    /**
     * The largest k the heap paths serve here for {@code pairs} = queries x references:
     * {@link #heapMaxK(int)}, or for a {@link #oneShot()} engine on at most {@link #ONE_SHOT_PAIRS}
     * pairs twice that (at most {@value #HEAP_MAX_K}).
     */
    int heapLimit(int dim, long pairs) {
        int limit = heapMaxK(dim);
        return oneShot && pairs <= ONE_SHOT_PAIRS ? Math.min(HEAP_MAX_K, 2 * limit) : limit;
    }

    public KnnDistance distance() {
        return distance;
    }

    public DotKernel kernel() {
        return kernel;
    }

    /**
     * Each row of {@code set} queries all the others (never itself): the k nearest, or all
     * {@code rows - 1} if fewer.
     */
    public void searchSelf(Embeddings set, int k, NeighbourSink sink) {
        searchSelf(set, k, sink, null);
    }

    /**
     * As {@link #searchSelf(Embeddings, int, NeighbourSink)}, reporting only whether each
     * neighbour shares the query's label: for large k it ranks relevance without ordering the
     * neighbours ({@link RadixTopK#rankedRelevance}), exactly as the neighbours' order would.
     *
     * @param labels one label per row of {@code set}
     */
    public void searchSelf(Embeddings set, int[] labels, int k, RelevanceSink sink) {
        Relevance relevance = new Relevance(labels, labels, sink);
        relevance.requireRows(set.rows(), set.rows());
        searchSelf(set, k, relevance.asNeighbourSink(), relevance);
    }

    /** {@code relevance}: where the large-k path reports ranked relevance instead of {@code sink}, or null. */
    private void searchSelf(Embeddings set, int k, NeighbourSink sink, Relevance relevance) {
        compileKernelWhole();
        Embeddings e = prepare(set);
        int n = e.rows();
        int kk = Math.min(k, n - 1);
        if (kk < 1) {
            emitEmpty(n, sink);
            return;
        }
        long heapBytes = (long) threads * n * kk * Long.BYTES;
        boolean heaps = kk <= heapLimit(e.dim(), (long) n * n);
        if (heaps && heapBytes <= symmetricHeapBudgetBytes) {
            symmetric(e, kk, sink);
            return;
        }
        int[] self = new int[n];
        for (int i = 0; i < n; i++) {
            self[i] = i;
        }
        if (heaps) {
            streamQueryBlocks(e, e, self, kk, sink);
        } else if (candidates(n, kk)) {
            filterCandidates(e, e, self, kk, sink);
        } else {
            selectRows(e, e, self, kk, sink, relevance);
        }
    }

    /**
     * Each query row retrieves its k nearest references.
     *
     * @param excluded for each query, a reference index it must not retrieve (its own copy in
     *                 the reference set), or -1; {@code null} when nothing is excluded
     */
    public void search(Embeddings queries, Embeddings references, int[] excluded, int k, NeighbourSink sink) {
        search(queries, references, excluded, k, sink, null);
    }

    /**
     * As {@link #search(Embeddings, Embeddings, int[], int, NeighbourSink)}, reporting only
     * whether each neighbour shares the query's label (see
     * {@link #searchSelf(Embeddings, int[], int, RelevanceSink)}).
     */
    public void search(Embeddings queries, int[] queryLabels, Embeddings references, int[] referenceLabels,
                       int[] excluded, int k, RelevanceSink sink) {
        Relevance relevance = new Relevance(queryLabels, referenceLabels, sink);
        relevance.requireRows(queries.rows(), references.rows());
        search(queries, references, excluded, k, relevance.asNeighbourSink(), relevance);
    }

    private void search(Embeddings queries, Embeddings references, int[] excluded, int k, NeighbourSink sink,
                        Relevance relevance) {
        if (queries.dim() != references.dim()) {
            throw new IllegalArgumentException("queries have dim " + queries.dim()
                    + " but references have dim " + references.dim());
        }
        if (excluded != null && excluded.length != queries.rows()) {
            throw new IllegalArgumentException("excluded has " + excluded.length + " entries for "
                    + queries.rows() + " queries");
        }
        int kk = Math.min(k, references.rows() - (excluded != null ? 1 : 0));
        kk = Math.min(kk, references.rows());
        if (kk < 1) {
            emitEmpty(queries.rows(), sink);
            return;
        }
        compileKernelWhole();
        if (kk <= heapLimit(queries.dim(), (long) queries.rows() * references.rows())) {
            streamQueryBlocks(prepare(queries), prepare(references), excluded, kk, sink);
        } else if (candidates(references.rows(), kk)) {
            filterCandidates(prepare(queries), prepare(references), excluded, kk, sink);
        } else {
            selectRows(prepare(queries), prepare(references), excluded, kk, sink, relevance);
        }
    }

    /**
     * Before a {@link #oneShot()} engine's search: {@value #WHOLE_COMPILE_CALLS} tile calls on a
     * zero panel of {@value #WHOLE_COMPILE_DIM} dimensions, so that the JIT compiles the tile
     * kernel as a whole method before the search's long loops run. Without them the kernel's loop
     * over the dimension (128 back-edges a call at dimension 128) reaches C2's back-edge threshold
     * before its call threshold, and C2 first compiles it as an on-stack replacement: 0.34-0.42 s
     * of C2 against 0.06-0.09 s for the whole-method compile that follows anyway
     * ({@code -XX:+LogCompilation} with {@code RC_EVALUATE_FLAGS}, which compile the engine after
     * 1% of the usual calls; under the JVM's default thresholds these calls change nothing).
     * Measured 2026-12-07 (whole {@code evaluate} at 5,924 x 128, k = 59, 2 shared cores at load
     * 10-11, 5 runs each, alternating): process CPU 1.27 s (1.20-1.32) against 1.43 s (1.31-1.60),
     * C2 0.34 against 0.56 s. The scratch arrays are the calls' own: no result depends on them.
     */
    private void compileKernelWhole() {
        if (!oneShot) {
            return;
        }
        float[] a = new float[DotKernel.MR * WHOLE_COMPILE_DIM];
        float[] b = new float[kernel.nr() * WHOLE_COMPILE_DIM];
        float[] out = new float[DotKernel.MR * kernel.nr()];
        for (int i = 0; i < WHOLE_COMPILE_CALLS; i++) {
            kernel.tile(a, 0, b, 0, WHOLE_COMPILE_DIM, out);
        }
    }

    private Embeddings prepare(Embeddings e) {
        return distance == KnnDistance.COSINE ? e.l2Normalized() : e;
    }

    private static void emitEmpty(int n, NeighbourSink sink) {
        int[] none = new int[0];
        float[] noScores = new float[0];
        for (int q = 0; q < n; q++) {
            sink.accept(q, none, noScores, 0);
        }
    }

    // ---- symmetric path -------------------------------------------------------------------

    private void symmetric(Embeddings e, int k, NeighbourSink sink) {
        int n = e.rows();
        PanelSearch search = panelSearch(e, e, null, k);
        int blocks = (n + BLOCK - 1) / BLOCK;
        int pairs = blocks * (blocks + 1) / 2;
        int[] pairI = new int[pairs];
        int[] pairJ = new int[pairs];
        for (int i = 0, p = 0; i < blocks; i++) {
            for (int j = i; j < blocks; j++, p++) {
                pairI[p] = i;
                pairJ[p] = j;
            }
        }
        float[] norms = search.queries().squaredNorms;
        AtomicInteger next = new AtomicInteger();
        List<NeighbourHeaps> perThread = runWorkers(() -> {
            PairWorker worker = new PairWorker(search, new NeighbourHeaps(n, k));
            int p;
            while ((p = next.getAndIncrement()) < pairs) {
                worker.blockPair(pairI[p] * BLOCK, pairJ[p] * BLOCK);
            }
            return worker.heaps;
        });
        NeighbourHeaps merged = perThread.get(0);
        AtomicInteger nextQuery = new AtomicInteger();
        runWorkers(() -> {
            int[] idx = new int[k];
            float[] sc = new float[k];
            int start;
            while ((start = nextQuery.getAndAdd(BLOCK)) < n) {
                for (int q = start, end = Math.min(n, start + BLOCK); q < end; q++) {
                    for (int t = 1; t < perThread.size(); t++) {
                        merged.offerAll(q, perThread.get(t), q);
                    }
                    int count = merged.drainSorted(q, idx, sc);
                    toNatural(sc, count, norms[q]);
                    sink.accept(q, idx, sc, count);
                }
            }
            return null;
        });
    }

    // ---- streaming path ---------------------------------------------------------------------

    private void streamQueryBlocks(Embeddings queries, Embeddings refs, int[] excluded, int k, NeighbourSink sink) {
        int nq = queries.rows();
        int nRef = refs.rows();
        int nr = kernel.nr();
        PanelSearch search = panelSearch(queries, refs, excluded, k);
        Panels a = search.queries();
        Panels b = search.references();
        int queryBlocks = (nq + BLOCK - 1) / BLOCK;
        boolean euclid = search.euclid();
        AtomicInteger next = new AtomicInteger();
        runWorkers(() -> {
            NeighbourHeaps heaps = new NeighbourHeaps(BLOCK, k);
            float[] tile = new float[DotKernel.MR * nr];
            int[] idx = new int[k];
            float[] sc = new float[k];
            int block;
            while ((block = next.getAndIncrement()) < queryBlocks) {
                int rowStart = block * BLOCK;
                int rowEnd = Math.min(rowStart + BLOCK, nq);
                for (int colStart = 0; colStart < nRef; colStart += BLOCK) {
                    int colEnd = Math.min(colStart + BLOCK, nRef);
                    for (int i0 = rowStart; i0 < rowEnd; i0 += DotKernel.MR) {
                        int aOff = a.offset(i0 / DotKernel.MR);
                        int iEnd = Math.min(i0 + DotKernel.MR, rowEnd);
                        for (int j0 = colStart; j0 < colEnd; j0 += nr) {
                            kernel.tile(a.data, aOff, b.data, b.offset(j0 / nr), queries.dim(), tile);
                            int jEnd = Math.min(j0 + nr, colEnd);
                            for (int i = i0; i < iEnd; i++) {
                                int local = i - rowStart;
                                int t = (i - i0) * nr - j0;
                                int skip = excluded == null ? -1 : excluded[i];
                                float threshold = heaps.threshold(local);
                                for (int j = j0; j < jEnd; j++) {
                                    float dot = tile[t + j];
                                    float score = euclid ? 2 * dot - b.squaredNorms[j] : dot;
                                    if (score >= threshold && j != skip) {
                                        heaps.offer(local, score, j);
                                        threshold = heaps.threshold(local);
                                    }
                                }
                            }
                        }
                    }
                }
                for (int q = rowStart; q < rowEnd; q++) {
                    int count = heaps.drainSorted(q - rowStart, idx, sc);
                    toNatural(sc, count, a.squaredNorms[q]);
                    sink.accept(q, idx, sc, count);
                }
            }
            return null;
        });
    }

    // ---- candidate path ({@link CandidateWorker}) ----------------------------------------------

    /** Whether k above the heaps' reach takes the candidate path rather than whole rows. */
    private boolean candidates(int references, int k) {
        return (long) references >= (long) candidateRefsPerK * k;
    }

    private void filterCandidates(Embeddings queries, Embeddings refs, int[] excluded, int k, NeighbourSink sink) {
        PanelSearch search = panelSearch(queries, refs, excluded, k);
        RowKernel rowKernel = RowKernel.best();
        AtomicInteger next = new AtomicInteger();
        runWorkers(() -> {
            CandidateWorker worker = new CandidateWorker(search, rowKernel);
            int start;
            while ((start = next.getAndAdd(BLOCK)) < queries.rows()) {
                worker.block(start, sink, this::toNatural);
            }
            return null;
        });
    }

    // ---- large-k path ------------------------------------------------------------------------

    private void selectRows(Embeddings queries, Embeddings refs, int[] excluded, int k, NeighbourSink sink,
                            Relevance relevance) {
        PanelSearch search = panelSearch(queries, refs, excluded, k);
        int rows = RowSelectWorker.rowsPerBlock(refs.rows(), ROW_SELECT_BUDGET_BYTES);
        RowKernel rowKernel = RowKernel.best();
        AtomicInteger next = new AtomicInteger();
        runWorkers(() -> {
            RowSelectWorker worker = new RowSelectWorker(search, rows, rowSelection, rowKernel, relevance);
            int start;
            while ((start = next.getAndAdd(rows)) < queries.rows()) {
                worker.block(start, sink, this::toNatural);
            }
            return null;
        });
    }

    /** One search's panels and parameters, as every worker thread reads them. */
    private PanelSearch panelSearch(Embeddings queries, Embeddings refs, int[] excluded, int k) {
        return new PanelSearch(kernel, new Panels(queries, DotKernel.MR), new Panels(refs, kernel.nr()),
                distance == KnnDistance.EUCLIDEAN, excluded, k);
    }

    /** Internal scores to user-facing ones: cosine similarity as is, Euclidean score to distance. */
    private void toNatural(float[] scores, int count, float querySquaredNorm) {
        if (distance == KnnDistance.EUCLIDEAN) {
            for (int i = 0; i < count; i++) {
                scores[i] = (float) Math.sqrt(Math.max(0.0, (double) querySquaredNorm - scores[i]));
            }
        }
    }

    // ---- threads ----------------------------------------------------------------------------

    private interface Work<T> {
        T run() throws Exception;
    }

    private <T> List<T> runWorkers(Work<T> work) {
        List<T> results = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> started = new ArrayList<>();
        Object lock = new Object();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    T r = work.run();
                    synchronized (lock) {
                        results.add(r);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "knn-" + t);
            thread.setDaemon(true);
            thread.start();
            started.add(thread);
        }
        for (Thread thread : started) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while searching", e);
            }
        }
        Throwable f = failure.get();
        if (f instanceof RuntimeException re) {
            throw re;
        }
        if (f instanceof Error err) {
            throw err;
        }
        if (f != null) {
            throw new IllegalStateException(f);
        }
        return results;
    }
}
