package dev.realitycheck.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReadTest {

    @TempDir
    Path dir;

    /** Two 2 x 3 images, as MNIST stores them. */
    private static final byte[] TWO_IMAGES = IdxBytes.ubytes(0, 1, 2, 3, 4, 5, 255, 254, 253, 128, 127, 0);

    @Test
    void readsHandBuiltMnistStyleImageFile() throws IOException {
        Path file = Files.write(dir.resolve("images"), IdxBytes.file(0x08, new int[] {2, 2, 3}, TWO_IMAGES));

        IdxArray images = Idx.read(file);

        assertThat(images.type()).isEqualTo(IdxType.UNSIGNED_BYTE);
        assertThat(images.dims()).containsExactly(2, 2, 3);
        assertThat(images.count()).isEqualTo(2);
        assertThat(images.elementsPerItem()).isEqualTo(6);
        assertThat(images.asBytes()).containsExactly(TWO_IMAGES);
        assertThat(images.asInts()).containsExactly(0, 1, 2, 3, 4, 5, 255, 254, 253, 128, 127, 0);
        assertThat(images.asFloats()).containsExactly(0, 1, 2, 3, 4, 5, 255, 254, 253, 128, 127, 0);
    }

    @Test
    void roundTripsRawFiles() throws IOException {
        Path images = dir.resolve("train-images-idx3-ubyte");
        Path labels = dir.resolve("train-labels-idx1-ubyte");
        IdxArray imageArray = IdxArray.ofUnsignedBytes(new int[] {2, 2, 3}, TWO_IMAGES);
        IdxArray labelArray = IdxArray.ofUnsignedByteLabels(new int[] {9, 0});

        Idx.write(images, imageArray);
        Idx.write(labels, labelArray);

        assertThat(Files.readAllBytes(images)).isEqualTo(IdxBytes.file(0x08, new int[] {2, 2, 3}, TWO_IMAGES));
        assertThat(Idx.read(images)).isEqualTo(imageArray);
        assertThat(Idx.read(labels).asInts()).containsExactly(9, 0);
    }

    @Test
    void roundTripsGzippedFiles() throws IOException {
        Path images = dir.resolve("images.gz");
        IdxArray imageArray = IdxArray.ofUnsignedBytes(new int[] {2, 2, 3}, TWO_IMAGES);

        Idx.writeGzipped(images, imageArray);

        byte[] bytes = Files.readAllBytes(images);
        assertThat(bytes[0] & 0xFF).isEqualTo(0x1f);
        assertThat(bytes[1] & 0xFF).isEqualTo(0x8b);
        assertThat(Idx.read(images)).isEqualTo(imageArray);
    }

    @Test
    void detectsGzipByMagicBytesNotByFileName() throws IOException {
        byte[] raw = IdxBytes.file(0x08, new int[] {3}, IdxBytes.ubytes(7, 8, 9));
        Path gzippedWithoutSuffix = Files.write(dir.resolve("labels"), IdxBytes.gzip(raw));
        Path rawWithGzSuffix = Files.write(dir.resolve("labels.gz"), raw);

        assertThat(Idx.read(gzippedWithoutSuffix).asInts()).containsExactly(7, 8, 9);
        assertThat(Idx.read(rawWithGzSuffix).asInts()).containsExactly(7, 8, 9);
    }

    @Test
    void readsSignedBytes() throws IOException {
        Path file = Files.write(dir.resolve("b"), IdxBytes.file(0x09, new int[] {3}, new byte[] {-128, 0, 127}));

        IdxArray array = Idx.read(file);

        assertThat(array.type()).isEqualTo(IdxType.SIGNED_BYTE);
        assertThat(array.asInts()).containsExactly(-128, 0, 127);
    }

    @Test
    void readsBigEndianShorts() throws IOException {
        byte[] data = ByteBuffer.allocate(6).putShort((short) -2).putShort((short) 300).putShort(Short.MAX_VALUE).array();
        Path file = Files.write(dir.resolve("s"), IdxBytes.file(0x0B, new int[] {3}, data));

        assertThat(Idx.read(file).asInts()).containsExactly(-2, 300, Short.MAX_VALUE);
    }

    @Test
    void readsBigEndianInts() throws IOException {
        byte[] data = ByteBuffer.allocate(8).putInt(Integer.MIN_VALUE).putInt(70_000).array();
        Path file = Files.write(dir.resolve("i"), IdxBytes.file(0x0C, new int[] {2}, data));

        assertThat(Idx.read(file).asInts()).containsExactly(Integer.MIN_VALUE, 70_000);
    }

    @Test
    void readsBigEndianFloatsAndDoubles() throws IOException {
        byte[] floats = ByteBuffer.allocate(8).putFloat(1.5f).putFloat(-0.25f).array();
        byte[] doubles = ByteBuffer.allocate(16).putDouble(0.1).putDouble(-3).array();
        Path f = Files.write(dir.resolve("f"), IdxBytes.file(0x0D, new int[] {1, 2}, floats));
        Path d = Files.write(dir.resolve("d"), IdxBytes.file(0x0E, new int[] {2, 1}, doubles));

        assertThat(Idx.read(f).asFloats()).containsExactly(1.5f, -0.25f);
        assertThat(Idx.read(d).asFloats()).containsExactly(0.1f, -3f);
        assertThat(Idx.read(d).type()).isEqualTo(IdxType.DOUBLE);
    }

    @Test
    void readsEmptyArrays() throws IOException {
        Path file = Files.write(dir.resolve("e"), IdxBytes.file(0x08, new int[] {0, 28, 28}, new byte[0]));

        IdxArray array = Idx.read(file);

        assertThat(array.count()).isZero();
        assertThat(array.asBytes()).isEmpty();
    }

    @Test
    void refusesTypedViewsThatDoNotFit() {
        IdxArray floats = new IdxArray(IdxType.FLOAT, new int[] {1}, ByteBuffer.allocate(4));
        IdxArray shorts = new IdxArray(IdxType.SHORT, new int[] {1}, ByteBuffer.allocate(2));

        assertThatThrownBy(floats::asInts).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("integers need an integer IDX type, found float (0x0D)");
        assertThatThrownBy(shorts::asBytes).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("found short (0x0B)");
    }

    @Test
    void validatesArraysInTheConstructor() {
        assertThatThrownBy(() -> new IdxArray(IdxType.INT, new int[] {2, 2}, ByteBuffer.allocate(15)))
                .hasMessage("dimensions [2 x 2] of int (0x0C) need 16 bytes, data has 15");
        assertThatThrownBy(() -> new IdxArray(IdxType.INT, new int[] {-1}, ByteBuffer.allocate(0)))
                .hasMessage("dimension 0 of [-1] is negative: -1");
        assertThatThrownBy(() -> new IdxArray(IdxType.INT, new int[0], ByteBuffer.allocate(0)))
                .hasMessage("rank must be 1 to 255, got 0");
        assertThatThrownBy(() -> IdxArray.ofUnsignedByteLabels(new int[] {1, 256}))
                .hasMessage("label 256 at index 1 does not fit in an unsigned byte (0..255)");
    }
}
