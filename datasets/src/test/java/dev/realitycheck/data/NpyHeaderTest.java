package dev.realitycheck.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NpyHeaderTest {

    @Test
    void parsesTheDictNumpyWrites() {
        NpyHeader header = NpyHeader.parse("{'descr': '>f8', 'fortran_order': True, 'shape': (60502, 512), }   \n");

        assertThat(header.dtype().descr()).isEqualTo(">f8");
        assertThat(header.fortranOrder()).isTrue();
        assertThat(header.shape()).containsExactly(60502, 512);
        assertThat(header.elementCount()).isEqualTo(60502L * 512);
    }

    @Test
    void spellsItselfAsNumpyDoes() {
        assertThat(new NpyHeader(NpyDtype.INT64, false, new long[] {5}).toDictLiteral())
                .isEqualTo("{'descr': '<i8', 'fortran_order': False, 'shape': (5,), }");
        assertThat(new NpyHeader(NpyDtype.FLOAT32, false, new long[0]).toDictLiteral())
                .isEqualTo("{'descr': '<f4', 'fortran_order': False, 'shape': (), }");
    }

    @Test
    void survivesARoundTripThroughItsBytes() {
        NpyHeader header = new NpyHeader(NpyDtype.parse(">u2"), true, new long[] {3, 4});
        byte[] bytes = header.toBytes();
        String dict = new String(bytes, 10, bytes.length - 10, java.nio.charset.StandardCharsets.ISO_8859_1);

        assertThat(NpyHeader.parse(dict)).isEqualTo(header);
    }

    @Test
    void rejectsNonDictHeadersAndBadValues() {
        assertThatThrownBy(() -> NpyHeader.parse("[1, 2]")).hasMessageStartingWith("header is not a dict");
        assertThatThrownBy(() -> NpyHeader.parse("{'descr': '<f4', 'fortran_order': 0, 'shape': (1,)}"))
                .hasMessageContaining("'fortran_order' must be True or False, found 0");
        assertThatThrownBy(() -> NpyHeader.parse("{'descr': '<f4', 'fortran_order': False, 'shape': (1, -2)}"))
                .hasMessageContaining("'shape' must be a tuple of non-negative integers, found [1, -2]");
        assertThatThrownBy(() -> NpyHeader.parse("{'descr': '<f4', 'fortran_order': False, 'shape': (1,)} x"))
                .hasMessageContaining("unexpected text after the literal");
        assertThatThrownBy(() -> NpyHeader.parse("{'descr': '<f4', 'descr': '<f4'}"))
                .hasMessageContaining("duplicate key descr");
    }

    @Test
    void rejectsNegativeDimensionsInTheConstructor() {
        assertThatThrownBy(() -> new NpyHeader(NpyDtype.FLOAT32, false, new long[] {2, -3}))
                .hasMessage("dimension 1 of shape (2, -3) is negative: -3");
    }
}
