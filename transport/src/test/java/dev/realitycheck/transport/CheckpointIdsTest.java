package dev.realitycheck.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CheckpointIdsTest {

    @Test
    void idNamesTheRunAndTheIterationAndParsesBack() {
        String id = CheckpointIds.of("exp-1.ms.fold0.seed1", 600);
        assertThat(id).isEqualTo("exp-1.ms.fold0.seed1.it600");
        assertThat(CheckpointIds.iterationOf("exp-1.ms.fold0.seed1", id)).hasValue(600);
        assertThat(new String(CheckpointIds.keyPrefix("exp-1.ms.fold0.seed1"), StandardCharsets.UTF_8))
                .isEqualTo("exp-1.ms.fold0.seed1.it");
        assertThat(id).startsWith(new String(CheckpointIds.keyPrefix("exp-1.ms.fold0.seed1"), StandardCharsets.UTF_8));
    }

    @Test
    void idsOfAnotherRunOrMalformedOnesHaveNoIteration() {
        assertThat(CheckpointIds.iterationOf("exp-1.ms.fold0.seed1", "exp-1.ms.fold0.seed10.it5")).isEmpty();
        assertThat(CheckpointIds.iterationOf("run", "run.it")).isEmpty();
        assertThat(CheckpointIds.iterationOf("run", "run.itx")).isEmpty();
        assertThat(CheckpointIds.iterationOf("run", "run.it99999999999999999999")).isEmpty();
        assertThat(CheckpointIds.iterationOf("run", null)).isEmpty();
    }

    @Test
    void rejectsABlankRunOrANegativeIterationNamingTheValue() {
        assertThatThrownBy(() -> CheckpointIds.of(" ", 1)).hasMessageContaining("' '");
        assertThatThrownBy(() -> CheckpointIds.of("run", -3)).hasMessageContaining("-3");
    }
}
