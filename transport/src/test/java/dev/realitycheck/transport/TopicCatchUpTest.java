package dev.realitycheck.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class TopicCatchUpTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    private static MockConsumer<byte[], byte[]> consumer(int records0, int records1) {
        MockConsumer<byte[], byte[]> c = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
        c.assign(List.of(P0, P1));
        c.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        c.updateEndOffsets(Map.of(P0, (long) records0, P1, (long) records1));
        c.seekToBeginning(List.of(P0, P1));
        for (int i = 0; i < records0; i++) {
            c.addRecord(new ConsumerRecord<>("t", 0, i, null, ("a" + i).getBytes(StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < records1; i++) {
            c.addRecord(new ConsumerRecord<>("t", 1, i, null, ("b" + i).getBytes(StandardCharsets.UTF_8)));
        }
        return c;
    }

    @Test
    void readsEveryPartitionToItsEndInOrder() throws Exception {
        List<String> seen = new ArrayList<>();
        long read = TopicCatchUp.readToEnd(consumer(3, 2), List.of(P0, P1), Duration.ofSeconds(5), Duration.ofMillis(10),
                r -> seen.add(new String(r.value(), StandardCharsets.UTF_8)));
        assertThat(read).isEqualTo(5);
        assertThat(seen.stream().filter(s -> s.startsWith("a"))).containsExactly("a0", "a1", "a2");
        assertThat(seen.stream().filter(s -> s.startsWith("b"))).containsExactly("b0", "b1");
    }

    @Test
    void emptyPartitionsAreAtTheirEndAtOnce() throws Exception {
        assertThat(TopicCatchUp.readToEnd(consumer(0, 0), List.of(P0, P1), Duration.ofSeconds(5), Duration.ofMillis(10),
                r -> { throw new AssertionError("no record expected"); })).isZero();
    }

    @Test
    void anEndThatIsNeverReachedFailsAfterTheBoundNamingThePartition() {
        MockConsumer<byte[], byte[]> c = consumer(1, 0);
        c.updateEndOffsets(Map.of(P0, 5L, P1, 0L)); // four records announced that never arrive
        assertThatThrownBy(() -> TopicCatchUp.readToEnd(c, List.of(P0, P1), Duration.ofMillis(200), Duration.ofMillis(10),
                r -> { }))
                .isInstanceOf(TimeoutException.class).hasMessageContaining("t-0").hasMessageNotContaining("t-1");
    }

    @Test
    void whatTheHandlerThrowsEndsTheCatchUp() {
        assertThatThrownBy(() -> TopicCatchUp.readToEnd(consumer(2, 0), List.of(P0, P1), Duration.ofSeconds(5),
                Duration.ofMillis(10), r -> { throw new IOException("disk full"); }))
                .isInstanceOf(IOException.class).hasMessage("disk full");
    }
}
