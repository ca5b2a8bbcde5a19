package dev.realitycheck.evaluation.scoring;

/**
 * How a checkpoint's two held-out splits are scored. Every schedule starts with the test split, so
 * its result (the one a trainer waits for) is published first; each result is handed on as soon as
 * it is computed.
 */
public enum SplitSchedule {

    /** Test, then validation, one stage at a time: embed, kNN and metrics of one split, then the other's. */
    SEQUENTIAL,

    /**
     * Test first, and the validation split's embedding runs on a second thread while the test
     * split's kNN runs: at most two splits' embeddings are held at once.
     */
    OVERLAPPED,

    /** Both splits at once, each on its own thread (embedding and kNN); whichever finishes first is handed on first. */
    CONCURRENT
}
