package io.jneuron.core.model;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds safetensors files byte by byte from a header string and raw little-endian data, so reader
 * tests do not depend on {@link SafetensorsWriter}.
 */
final class RawSafetensors {
    private RawSafetensors() {
    }

    /** The header JSON padded with spaces so that the data starts on an 8-byte boundary. */
    static byte[] paddedHeader(String json) {
        StringBuilder sb = new StringBuilder(json);
        while ((8 + sb.length()) % 8 != 0) {
            sb.append(' ');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static Path write(Path file, String headerJson, byte[] data) throws IOException {
        byte[] header = paddedHeader(headerJson);
        ByteBuffer buf = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(header.length).put(header).put(data);
        Files.write(file, buf.array());
        return file;
    }

    /** A sparse file of {@code length} bytes: the header, then {@code data} written at data offset {@code at}. */
    static long writeSparse(Path file, String headerJson, long length, long at, byte[] data) throws IOException {
        byte[] header = paddedHeader(headerJson);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
            raf.write(len.array());
            raf.write(header);
            long dataStart = 8 + header.length;
            raf.setLength(dataStart + length);
            raf.seek(dataStart + at);
            raf.write(data);
            return dataStart;
        }
    }

    static byte[] le32(int... bits) {
        ByteBuffer b = ByteBuffer.allocate(bits.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : bits) {
            b.putInt(v);
        }
        return b.array();
    }

    static byte[] le16(int... bits) {
        ByteBuffer b = ByteBuffer.allocate(bits.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : bits) {
            b.putShort((short) v);
        }
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }
}
