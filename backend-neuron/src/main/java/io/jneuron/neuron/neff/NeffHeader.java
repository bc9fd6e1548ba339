package io.jneuron.neuron.neff;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * The 1024-byte header in front of every NEFF (specs/neuron-runtime.md §2.1; little-endian, natural
 * alignment). A NEFF has no magic number, so a file is taken for one only if the header size is
 * 1024, header plus data size equals the file length, and the packager version is 1 or 2.
 *
 * @param hash  the package hash as hex (SHA-256 or MD5 by packager version; zero-padded to 32 bytes)
 * @param featureBits incompatible-feature mask; a runtime refuses bits it does not know
 */
public record NeffHeader(long pkgVersion, long headerSize, long dataSize, long neffVersionMajor, long neffVersionMinor,
                         String buildVersion, long numTpb, String hash, String uuid, String name,
                         long requestedTpbCount, long featureBits, long lncSize) {
    public static final int SIZE = 1024;

    /** Reads and validates the header of {@code file}. */
    public static NeffHeader read(Path file) throws IOException {
        long length = Files.size(file);
        if (length < SIZE) {
            throw new NeffFormatException(file + " is not a NEFF: " + length + " bytes, shorter than the 1024-byte header");
        }
        byte[] b = new byte[SIZE];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(b, 0, SIZE) != SIZE) {
                throw new NeffFormatException(file + " is not a NEFF: the header could not be read in full");
            }
        }
        return parse(b, length, file.toString());
    }

    /** Parses a header; {@code fileLength} is the whole file's size and {@code source} names it in errors. */
    public static NeffHeader parse(byte[] bytes, long fileLength, String source) {
        if (bytes.length < SIZE) {
            throw new NeffFormatException(source + " is not a NEFF: header is " + bytes.length + " bytes, not 1024");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, 0, SIZE).order(ByteOrder.LITTLE_ENDIAN);
        long pkg = b.getLong(0);
        long headerSize = b.getLong(8);
        long dataSize = b.getLong(16);
        if (headerSize != SIZE) {
            throw new NeffFormatException(source + " is not a NEFF: header_size is " + headerSize + ", expected 1024");
        }
        if (pkg != 1 && pkg != 2) {
            throw new NeffFormatException(source + " is not a NEFF: pkg_version is " + pkg + ", expected 1 or 2");
        }
        if (dataSize < 0 || headerSize + dataSize != fileLength) {
            throw new NeffFormatException(source + " is not a NEFF or is truncated: header 1024 + data_size " + dataSize
                    + " != file length " + fileLength);
        }
        HexFormat hex = HexFormat.of();
        return new NeffHeader(pkg, headerSize, dataSize, b.getLong(24), b.getLong(32), cString(bytes, 40, 128),
                Integer.toUnsignedLong(b.getInt(168)), hex.formatHex(bytes, 172, 204), hex.formatHex(bytes, 204, 220),
                cString(bytes, 220, 256), Integer.toUnsignedLong(b.getInt(476)), b.getLong(544),
                Integer.toUnsignedLong(b.getInt(552)));
    }

    /** Serialises this header (the inverse of {@link #parse}). */
    public byte[] toBytes() {
        byte[] out = new byte[SIZE];
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, pkgVersion).putLong(8, headerSize).putLong(16, dataSize).putLong(24, neffVersionMajor)
                .putLong(32, neffVersionMinor).putInt(168, (int) numTpb).putInt(476, (int) requestedTpbCount)
                .putLong(544, featureBits).putInt(552, (int) lncSize);
        putString(out, 40, 128, buildVersion);
        putBytes(out, 172, 32, HexFormat.of().parseHex(hash));
        putBytes(out, 204, 16, HexFormat.of().parseHex(uuid));
        putString(out, 220, 256, name);
        return out;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static void putString(byte[] out, int off, int cap, String s) {
        byte[] v = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(v, 0, out, off, Math.min(v.length, cap - 1));
    }

    private static void putBytes(byte[] out, int off, int cap, byte[] v) {
        System.arraycopy(v, 0, out, off, Math.min(v.length, cap));
    }
}
