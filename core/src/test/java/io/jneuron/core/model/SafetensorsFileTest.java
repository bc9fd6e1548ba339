package io.jneuron.core.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static io.jneuron.core.model.RawSafetensors.concat;
import static io.jneuron.core.model.RawSafetensors.le16;
import static io.jneuron.core.model.RawSafetensors.le32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Reads hand-built files whose bytes are known IEEE bit patterns. */
class SafetensorsFileTest {
    @TempDir
    Path dir;

    @Test
    void readsF32BitPatterns() throws IOException {
        // 1.0, -2.5, 0.15625, smallest subnormal, +inf
        byte[] data = le32(0x3F800000, 0xC0200000, 0x3E200000, 0x00000001, 0x7F800000);
        Path f = RawSafetensors.write(dir.resolve("a.safetensors"),
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[5],\"data_offsets\":[0,20]}}", data);
        float[] v = SafetensorsFile.readFloats(SafetensorsFile.open(f).tensors().get("w"));
        assertArrayEquals(new float[] {1.0f, -2.5f, 0.15625f, Float.MIN_VALUE, Float.POSITIVE_INFINITY}, v);
    }

    @Test
    void readsF16BitPatterns() throws IOException {
        // 1.0, -2.0, 65504 (largest), 2^-24 (smallest subnormal), 2^-14 (smallest normal),
        // 0x3555 = 1365/4096 (1/3 rounded), -0.0, -inf
        byte[] data = le16(0x3C00, 0xC000, 0x7BFF, 0x0001, 0x0400, 0x3555, 0x8000, 0xFC00);
        Path f = RawSafetensors.write(dir.resolve("h.safetensors"),
                "{\"w\":{\"dtype\":\"F16\",\"shape\":[2,4],\"data_offsets\":[0,16]}}", data);
        TensorInfo t = SafetensorsFile.open(f).tensors().get("w");
        assertEquals("F16", t.dtype());
        assertArrayEquals(new long[] {2, 4}, t.shape());
        float[] v = SafetensorsFile.readFloats(t);
        assertArrayEquals(new float[] {1.0f, -2.0f, 65504f, 0x1p-24f, 0x1p-14f, 1365f / 4096f, -0.0f,
                Float.NEGATIVE_INFINITY}, v);
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(v[6]));
    }

    @Test
    void readsBf16BitPatterns() throws IOException {
        // 1.0, -5.0, 3.140625, 2^-133 (subnormal), +inf
        byte[] data = le16(0x3F80, 0xC0A0, 0x4049, 0x0001, 0x7F80);
        Path f = RawSafetensors.write(dir.resolve("b.safetensors"),
                "{\"w\":{\"dtype\":\"BF16\",\"shape\":[5],\"data_offsets\":[0,10]}}", data);
        float[] v = SafetensorsFile.readFloats(SafetensorsFile.open(f).tensors().get("w"));
        assertArrayEquals(new float[] {1.0f, -5.0f, 3.140625f, 0x1p-133f, Float.POSITIVE_INFINITY}, v);
    }

    @Test
    void readsSeveralTensorsAtTheirOffsetsAndSkipsMetadata() throws IOException {
        byte[] data = concat(le32(0x40000000, 0x40400000), le16(0x3C00, 0x4000, 0x4200));
        Path f = RawSafetensors.write(dir.resolve("m.safetensors"), "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[8,14]}}", data);
        SafetensorsFile file = SafetensorsFile.open(f);
        assertEquals(java.util.List.of("a", "b"), java.util.List.copyOf(file.tensors().keySet()));
        assertArrayEquals(new float[] {2f, 3f}, SafetensorsFile.readFloats(file.tensors().get("a")));
        assertArrayEquals(new float[] {1f, 2f, 3f}, SafetensorsFile.readFloats(file.tensors().get("b")));
    }

    @Test
    void readsATensorPastTwoGibibytesInASparseFile() throws IOException {
        // A 2 GiB + 8 byte filler (left as a hole), a tensor straddling no boundary, one at the very end.
        long filler = (1L << 31) + 8;
        String header = "{\"filler\":{\"dtype\":\"F32\",\"shape\":[" + filler / 4 + "],\"data_offsets\":[0," + filler + "]},"
                + "\"tail\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[" + filler + "," + (filler + 16) + "]}}";
        Path f = dir.resolve("big.safetensors");
        long dataStart = RawSafetensors.writeSparse(f, header, filler + 16, filler,
                le32(0x3FC00000, 0xBE800000, 0x7F7FFFFF, 0x40E00000));
        assertEquals(dataStart + filler + 16, Files.size(f));

        SafetensorsFile file = SafetensorsFile.open(f);
        TensorInfo tail = file.tensors().get("tail");
        assertEquals(dataStart + filler, tail.offset());
        assertArrayEquals(new float[] {1.5f, -0.25f, Float.MAX_VALUE, 7f}, SafetensorsFile.readFloats(tail));
        assertEquals(filler / 4, file.tensors().get("filler").elementCount());
    }

    @Test
    void readsATensorThatCrossesTheTwoGibibyteMark() throws IOException {
        long filler = (1L << 31) - 8;
        String header = "{\"filler\":{\"dtype\":\"F32\",\"shape\":[" + filler / 4 + "],\"data_offsets\":[0," + filler + "]},"
                + "\"mid\":{\"dtype\":\"BF16\",\"shape\":[16],\"data_offsets\":[" + filler + "," + (filler + 32) + "]}}";
        int[] bits = new int[16];
        float[] expected = new float[16];
        for (int i = 0; i < 16; i++) {
            bits[i] = 0x4000 + (i << 4); // 2.0 upwards in steps of one bf16 ulp * 16
            expected[i] = Float.intBitsToFloat(bits[i] << 16);
        }
        Path f = dir.resolve("cross.safetensors");
        RawSafetensors.writeSparse(f, header, filler + 32, filler, le16(bits));
        assertArrayEquals(expected, SafetensorsFile.readFloats(SafetensorsFile.open(f).tensors().get("mid")));
    }

    @Test
    void tinyFileHasNoHeader() throws IOException {
        Path f = Files.write(dir.resolve("t.safetensors"), new byte[] {1, 2, 3, 4});
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafetensorsFile.open(f));
        assertEquals(f + ": truncated safetensors file (4 bytes, no header)", e.getMessage());
    }

    @Test
    void headerLongerThanTheFileIsReported() throws IOException {
        Path f = RawSafetensors.write(dir.resolve("h.safetensors"),
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", le32(0));
        byte[] bytes = Files.readAllBytes(f);
        Path cut = Files.write(dir.resolve("cut.safetensors"), java.util.Arrays.copyOf(bytes, 30));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafetensorsFile.open(cut));
        assertEquals(cut + ": bad safetensors header length 56 for a file of 30 bytes (truncated or not a"
                + " safetensors file)", e.getMessage());
    }

    @Test
    void truncatedDataIsReportedWithTheTensorAndSizes() throws IOException {
        Path f = RawSafetensors.write(dir.resolve("d.safetensors"),
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}", new byte[24]);
        long full = Files.size(f);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(full - 10);
        }
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafetensorsFile.open(f));
        assertEquals(f + ": truncated: tensor 'b' ends at byte " + full + " but the file has " + (full - 10)
                + " bytes", e.getMessage());
    }

    @Test
    void shapeThatDisagreesWithTheOffsetsIsReported() throws IOException {
        Path f = RawSafetensors.write(dir.resolve("s.safetensors"),
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}", new byte[12]);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafetensorsFile.open(f));
        assertEquals(f + ": tensor 'w' shape [2,2] F32 needs 16 bytes but data_offsets [0,12] hold 12",
                e.getMessage());
    }

    @Test
    void overlappingTensorsAreRefusedNamingBoth() throws IOException {
        Path f = RawSafetensors.write(dir.resolve("x.safetensors"),
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafetensorsFile.open(f));
        assertEquals(f + ": tensors 'a' (bytes 0-8) and 'b' (bytes 4-12) overlap; the file is corrupt or was not "
                + "written by a safetensors writer, re-export or re-download it", e.getMessage());
        // Empty tensors may share an offset with anything.
        Path ok = RawSafetensors.write(dir.resolve("y.safetensors"),
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]}}", new byte[8]);
        assertEquals(2, SafetensorsFile.open(ok).tensors().size());
    }

    @Test
    void unsupportedDtypeIsNamed() throws IOException {
        Path f = RawSafetensors.write(dir.resolve("i.safetensors"),
                "{\"position_ids\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]}}", new byte[16]);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafetensorsFile.open(f));
        assertEquals(f + ": tensor 'position_ids' has unsupported dtype 'I64'; jneuron reads F32, F16 and BF16"
                + " weights", e.getMessage());
    }

    @Test
    void absurdShapeIsAFormatErrorNotAnOverflow() throws IOException {
        Path f = RawSafetensors.write(dir.resolve("o.safetensors"),
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,4]}}", new byte[4]);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafetensorsFile.open(f));
        assertEquals(f + ": tensor 'w' has a shape [4294967296,4294967296] too large to address", e.getMessage());
    }

    @Test
    void malformedHeaderJsonIsReported() throws IOException {
        Path f = RawSafetensors.write(dir.resolve("j.safetensors"), "{\"w\":", new byte[0]);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafetensorsFile.open(f));
        assertEquals(true, e.getMessage().startsWith(f + ": malformed safetensors header JSON: "), e.getMessage());
    }

    @Test
    void missingFileIsReported() {
        Path f = dir.resolve("none.safetensors");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafetensorsFile.open(f));
        assertEquals(f + ": file not found", e.getMessage());
    }
}
