package io.jneuron.neuron.neff;

import io.jneuron.core.files.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a NEFF container: the 1024-byte header and a ustar payload, gzip'd or plain. It packs
 * what it is given (used for test NEFFs and by stand-in compilers); it does not compile anything.
 * The header hash is SHA-256 of the payload for packager version 1 and MD5 for 2, our reading of
 * the third-party notes in spec §2.1: no runtime checks it unless NEURON_RT_VALIDATE_HASH is set.
 */
public final class NeffWriter {
    private NeffWriter() {
    }

    /**
     * Writes {@code members} (path to bytes, in map order) into {@code out} atomically: a temp file
     * beside it, then a move, so a reader never sees half a NEFF.
     */
    public static NeffHeader write(Path out, String name, Map<String, byte[]> members, boolean gzip) throws IOException {
        byte[] tar = tar(members);
        byte[] payload = gzip ? gzip(tar) : tar;
        long pkg = gzip ? 2 : 1;
        NeffHeader h = new NeffHeader(pkg, NeffHeader.SIZE, payload.length, 2, 0, "jneuron", 1,
                hex(digest(pkg == 1 ? "SHA-256" : "MD5", payload), 32), uuidHex(), name, 1, 0, 1);
        Path dir = out.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, out.getFileName().toString(), ".tmp");
        try {
            try (OutputStream o = Files.newOutputStream(tmp)) {
                o.write(h.toBytes());
                o.write(payload);
            }
            AtomicFiles.move(tmp, out);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return h;
    }

    static byte[] tar(Map<String, byte[]> members) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> m : members.entrySet()) {
            byte[] name = m.getKey().getBytes(StandardCharsets.UTF_8);
            if (name.length > 99) {
                throw new IllegalArgumentException("tar member name over 99 bytes: " + m.getKey());
            }
            byte[] h = new byte[512];
            System.arraycopy(name, 0, h, 0, name.length);
            octal(h, 100, 8, 0644);
            octal(h, 108, 8, 0);
            octal(h, 116, 8, 0);
            octal(h, 124, 12, m.getValue().length);
            octal(h, 136, 12, 0);
            h[156] = '0';
            System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
            h[263] = '0';
            h[264] = '0';
            for (int i = 148; i < 156; i++) {
                h[i] = ' ';   // the checksum is computed with its own field as spaces
            }
            int sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            octal(h, 148, 7, sum);
            out.write(h);
            out.write(m.getValue());
            out.write(new byte[(512 - m.getValue().length % 512) % 512]);
        }
        out.write(new byte[1024]);   // two zero blocks end the archive
        return out.toByteArray();
    }

    private static void octal(byte[] h, int off, int len, long v) {
        String s = String.format("%0" + (len - 1) + "o", v);
        System.arraycopy(s.getBytes(StandardCharsets.US_ASCII), 0, h, off, len - 1);
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(b);
        }
        return out.toByteArray();
    }

    private static byte[] digest(String alg, byte[] b) {
        try {
            return MessageDigest.getInstance(alg).digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(alg + " is required by every JDK", e);
        }
    }

    private static String hex(byte[] b, int width) {
        byte[] padded = new byte[width];
        System.arraycopy(b, 0, padded, 0, Math.min(b.length, width));
        return java.util.HexFormat.of().formatHex(padded);
    }

    private static String uuidHex() {
        UUID u = UUID.randomUUID();
        return String.format("%016x%016x", u.getMostSignificantBits(), u.getLeastSignificantBits());
    }
}
