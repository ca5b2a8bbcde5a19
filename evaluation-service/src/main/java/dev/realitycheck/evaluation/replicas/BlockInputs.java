package dev.realitycheck.evaluation.replicas;

import dev.realitycheck.proto.v1.Split;
import dev.realitycheck.retrieval.RetrievalTask;

/**
 * What a replica scores a block against: the embeddings and labels of every query and reference of
 * one checkpoint's split, obtained the same way on every replica (embedded with the checkpoint, or
 * read from a store every replica can read; never something only the owner holds), so that every
 * replica's block equals the one the owner would have scored.
 */
@FunctionalInterface
public interface BlockInputs {

    /**
     * The whole task of {@code checkpointId}'s {@code split}; {@link BlockWorker} keeps the latest one,
     * so the blocks of one evaluation that a replica takes in a row are embedded once.
     *
     * @throws Exception when the inputs cannot be had (the task is dead-lettered)
     */
    RetrievalTask inputs(String checkpointId, Split split) throws Exception;
}
