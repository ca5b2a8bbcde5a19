package dev.realitycheck.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realitycheck.proto.v1.DeadLetter;
import dev.realitycheck.proto.v1.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** A rejected record becomes a dead letter carrying its coordinates, bytes, reason, consumer and time. */
class DeadLetterFactoryTest {

    private static final Instant NOW = Instant.parse("2026-03-04T05:06:07.123456789Z");
    private final DeadLetterFactory letters = new DeadLetterFactory("trainer-service/pod-a", Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aConsumedRecordBecomesALetterWithItsCoordinatesBytesReasonConsumerAndTime() {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("realitycheck.run-events", 3, 42L,
                "run-1".getBytes(StandardCharsets.UTF_8), new byte[] {0x0A, (byte) 0xFF});

        DeadLetter letter = letters.of(record, DeadLetterReason.DEAD_LETTER_REASON_UNPARSEABLE, "not a RunEvent");

        assertThat(letter.getSourceTopic()).isEqualTo("realitycheck.run-events");
        assertThat(letter.getPartition()).isEqualTo(3);
        assertThat(letter.getOffset()).isEqualTo(42L);
        assertThat(letter.getKey().toStringUtf8()).isEqualTo("run-1");
        assertThat(letter.getOriginalValue().toByteArray()).containsExactly(0x0A, 0xFF);
        assertThat(letter.getReason()).isEqualTo(DeadLetterReason.DEAD_LETTER_REASON_UNPARSEABLE);
        assertThat(letter.getMessage()).isEqualTo("not a RunEvent");
        assertThat(letter.getConsumer()).isEqualTo("trainer-service/pod-a");
        assertThat(letter.getRejectedAt().getSeconds()).isEqualTo(NOW.getEpochSecond());
        assertThat(letter.getRejectedAt().getNanos()).isEqualTo(NOW.getNano());
    }

    @Test
    void aTombstoneWithoutKeyGivesEmptyKeyAndValue() {
        ConsumerRecord<byte[], byte[]> tombstone = new ConsumerRecord<>("realitycheck.experiments", 0, 7L, null, null);

        DeadLetter letter = letters.of(tombstone, DeadLetterReason.DEAD_LETTER_REASON_INVALID, "no key");

        assertThat(letter.getKey().isEmpty()).isTrue();
        assertThat(letter.getOriginalValue().isEmpty()).isTrue();
        assertThat(letter.getOffset()).isEqualTo(7L);
    }

    @Test
    void aLetterMustNameItsConsumer() {
        assertThatThrownBy(() -> new DeadLetterFactory(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("' '");
    }
}
