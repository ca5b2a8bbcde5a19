package dev.realitycheck.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NpyDtypeTest {

    @ParameterizedTest
    @ValueSource(strings = {"<f2", "<f4", ">f4", "<f8", ">f8", "|i1", "|u1", "<i2", ">u2", "<i4", ">u4", "<i8", ">u8"})
    void parsesAndSpellsDescriptorsAsNumpyDoes(String descr) {
        assertThat(NpyDtype.parse(descr).descr()).isEqualTo(descr);
    }

    @Test
    void readsByteOrderAndKind() {
        NpyDtype dtype = NpyDtype.parse(">u2");

        assertThat(dtype.kind()).isEqualTo(NpyDtype.Kind.UNSIGNED_INTEGER);
        assertThat(dtype.itemSize()).isEqualTo(2);
        assertThat(dtype.byteOrder()).isEqualTo(ByteOrder.BIG_ENDIAN);
        assertThat(dtype.isInteger()).isTrue();
        assertThat(dtype.isFloat()).isFalse();
    }

    @Test
    void readsNativeOrderForEqualsSignOrNoOrderCharacter() {
        assertThat(NpyDtype.parse("=f4").byteOrder()).isEqualTo(ByteOrder.nativeOrder());
        assertThat(NpyDtype.parse("f4").byteOrder()).isEqualTo(ByteOrder.nativeOrder());
    }

    @Test
    void treatsByteOrderOfOneByteTypesAsIrrelevant() {
        assertThat(NpyDtype.parse("<u1")).isEqualTo(NpyDtype.parse("|u1")).isEqualTo(NpyDtype.parse(">u1"));
    }

    @Test
    void rejectsUnsupportedDescriptorsNamingThem() {
        assertThatThrownBy(() -> NpyDtype.parse("<c8")).hasMessageStartingWith("unsupported dtype '<c8' (complex numbers)");
        assertThatThrownBy(() -> NpyDtype.parse("<f16")).hasMessageContaining("'<f16'").hasMessageContaining("item size 16");
        assertThatThrownBy(() -> NpyDtype.parse("<i3")).hasMessageContaining("'<i3'").hasMessageContaining("item size 3");
        assertThatThrownBy(() -> NpyDtype.parse("|f4")).hasMessageContaining("'|' is only valid for 1-byte types");
        assertThatThrownBy(() -> NpyDtype.parse("<f")).hasMessageContaining("item size '' is not a byte count");
        assertThatThrownBy(() -> NpyDtype.parse("")).hasMessageContaining("no type code");
    }

    @Test
    void rejectsImpossibleSizesInTheConstructor() {
        assertThatThrownBy(() -> new NpyDtype(NpyDtype.Kind.FLOAT, 1, ByteOrder.LITTLE_ENDIAN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported item size 1 for FLOAT");
    }
}
