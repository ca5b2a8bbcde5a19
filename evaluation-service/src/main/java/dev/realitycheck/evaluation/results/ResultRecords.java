package dev.realitycheck.evaluation.results;

import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.transport.RecordSignatures;
import dev.realitycheck.transport.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The record of an {@link EvaluationResult} on {@link Topics#EVALUATIONS}, the one way this service
 * writes one: keyed by run id, the serialized result as value, signed when the service has a signing
 * key ({@link RecordSignatures}).
 */
public final class ResultRecords {

    private ResultRecords() {
    }

    /** The record of {@code result}, signed by {@code signer} (null: unsigned). */
    public static ProducerRecord<String, byte[]> of(EvaluationResult result, RecordSignatures.Signer signer) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.EVALUATIONS, result.getRunId(),
                result.toByteArray());
        return signer == null ? record : signer.sign(record);
    }
}
