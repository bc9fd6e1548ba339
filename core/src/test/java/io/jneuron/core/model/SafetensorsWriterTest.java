package io.jneuron.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static io.jneuron.core.model.RawSafetensors.le16;
import static io.jneuron.core.model.RawSafetensors.le32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Checks the bytes the writer produces against known bit patterns, then reads them back. */
class SafetensorsWriterTest {
    /** 1, -2, 65504, 2^-24, 1/3, 70000, 1e-8, 1 + 2^-11 (an F16 tie), 1 + 3 * 2^-11, 1.00390625 (a BF16 tie). */
    private static final float[] VALUES = {1f, -2f, 65504f, 0x1p-24f, 1f / 3f, 70000f, 1e-8f,
        Float.intBitsToFloat(0x3F801000), Float.intBitsToFloat(0x3F803000), Float.intBitsToFloat(0x3F808000)};

    @TempDir
    Path dir;

    @Test
    void f32IsWrittenBitForBit() throws IOException {
        int[] bits = new int[VALUES.length];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = Float.floatToRawIntBits(VALUES[i]);
        }
        Path f = write("F32");
        assertArrayEquals(le32(bits), data(f));
        assertArrayEquals(VALUES, read(f));
    }

    @Test
    void f16RoundsToNearestEven() throws IOException {
        // 1/3 -> 0x3555; 70000 overflows to +inf; 1e-8 is below half of 2^-24 and flushes to +0;
        // 1 + 2^-11 is halfway between 0x3C00 and 0x3C01 and goes to the even 0x3C00; 1 + 3 * 2^-11 to 0x3C02;
        // 1 + 2^-8 is exact (0x3C04).
        byte[] expected = le16(0x3C00, 0xC000, 0x7BFF, 0x0001, 0x3555, 0x7C00, 0x0000, 0x3C00, 0x3C02, 0x3C04);
        Path f = write("F16");
        assertArrayEquals(expected, data(f));
        assertArrayEquals(new float[] {1f, -2f, 65504f, 0x1p-24f, 1365f / 4096f, Float.POSITIVE_INFINITY, 0f, 1f,
            1f + 0x1p-9f, 1f + 0x1p-8f}, read(f));
    }

    @Test
    void bf16RoundsToNearestEven() throws IOException {
        // 1/3 = 0x3EAAAAAB -> 0x3EAB (low half above the midpoint); 65504 = 0x477FE000 -> 0x4780 = 65536;
        // 0x3F808000 is a tie and keeps the even 0x3F80.
        byte[] expected = le16(0x3F80, 0xC000, 0x4780, 0x3380, 0x3EAB, 0x4789, 0x322C, 0x3F80, 0x3F80, 0x3F80);
        Path f = write("BF16");
        assertArrayEquals(expected, data(f));
        assertEquals(65536f, read(f)[2]);
    }

    @Test
    void headerIsPaddedToEightBytesAndNamesEveryTensor() throws IOException {
        Path f = dir.resolve("pad.safetensors");
        SafetensorsWriter w = SafetensorsWriter.create().metadata("format", "pt")
                .add("odd", "F16", new long[] {3}, new float[] {1, 2, 3})
                .add("next", "F32", new long[] {1, 2}, new float[] {4, 5});
        long size = w.write(f);
        byte[] bytes = Files.readAllBytes(f);
        assertEquals(size, bytes.length);
        long headerLen = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + headerLen) % 8);
        JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, (int) headerLen, "UTF-8").trim());
        assertEquals("pt", header.path("__metadata__").path("format").asText());
        assertEquals("[0,6]", header.path("odd").path("data_offsets").toString());
        assertEquals("[6,14]", header.path("next").path("data_offsets").toString());
        assertEquals("[1,2]", header.path("next").path("shape").toString());
        assertEquals(8 + headerLen + 14, bytes.length);
        assertEquals(14, w.dataBytes());
        assertEquals(List.of("odd", "next"), w.tensorNames());
    }

    @Test
    void streamsValuesInChunksInOrder() throws IOException {
        Path f = dir.resolve("stream.safetensors");
        int n = 200_000; // several write chunks
        SafetensorsWriter.create().add("ramp", "F32", new long[] {n}, (first, dst, count) -> {
            for (int i = 0; i < count; i++) {
                dst[i] = first + i;
            }
        }).write(f);
        float[] v = SafetensorsFile.readFloats(SafetensorsFile.open(f).tensors().get("ramp"));
        for (int i = 0; i < n; i++) {
            if (v[i] != i) {
                throw new AssertionError("element " + i + " is " + v[i]);
            }
        }
    }

    @Test
    void replacesAnExistingFileAndLeavesNoTemporaryFiles() throws IOException {
        Path f = Files.writeString(dir.resolve("x.safetensors"), "old");
        SafetensorsWriter.create().add("a", "F32", new long[] {1}, new float[] {1}).write(f);
        assertArrayEquals(new float[] {1}, read(f, "a"));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("x.safetensors"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void rejectsMisuse() {
        SafetensorsWriter w = SafetensorsWriter.create().add("a", "F32", new long[] {1}, new float[] {1});
        assertEquals("tensor 'a' was added twice", assertThrows(IllegalArgumentException.class,
                () -> w.add("a", "F32", new long[] {1}, new float[] {1})).getMessage());
        assertEquals("tensor 'b': dtype 'I64' cannot be written; use F32, F16 or BF16",
                assertThrows(IllegalArgumentException.class,
                        () -> w.add("b", "I64", new long[] {1}, new float[] {1})).getMessage());
        assertEquals("tensor 'c' has shape [2, 2] (4 elements) but 3 values were given",
                assertThrows(IllegalArgumentException.class,
                        () -> w.add("c", "F32", new long[] {2, 2}, new float[3])).getMessage());
        w.add("c", "F32", new long[] {1}, new float[] {2}); // the failed add left no trace
    }

    private Path write(String dtype) {
        Path f = dir.resolve(dtype + ".safetensors");
        SafetensorsWriter.create().add("v", dtype, new long[] {VALUES.length}, VALUES.clone()).write(f);
        return f;
    }

    /** The raw tensor bytes, located by reading the header length directly. */
    private static byte[] data(Path f) throws IOException {
        byte[] bytes = Files.readAllBytes(f);
        long headerLen = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return Arrays.copyOfRange(bytes, (int) (8 + headerLen), bytes.length);
    }

    private static float[] read(Path f) {
        return read(f, "v");
    }

    private static float[] read(Path f, String name) {
        return SafetensorsFile.readFloats(SafetensorsFile.open(f).tensors().get(name));
    }
}
