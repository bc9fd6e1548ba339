package io.jneuron.neuron.neff;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a NEFF without the runtime: the header and a listing of the payload, a tar that is gzip'd
 * (sniffed by {@code 1f 8b} at offset 1024) or plain. Only tar headers are parsed; member contents
 * are skipped, except the ones asked for by {@link #readMember}.
 */
public final class NeffFile {
    /** Refuses absurd listings (a damaged or hostile file) instead of growing without bound. */
    static final int MAX_ENTRIES = 100_000;

    /** One tar member: its path, size in bytes, and tar type flag ('0' file, '5' directory, ...). */
    public record Entry(String name, long size, char type) {
    }

    /** The header, how the payload is packed ("gzip" or "tar") and its members. */
    public record Info(Path file, NeffHeader header, String compression, List<Entry> entries) {
    }

    private NeffFile() {
    }

    public static Info inspect(Path file) throws IOException {
        NeffHeader h = NeffHeader.read(file);
        List<Entry> entries = new ArrayList<>();
        String[] compression = new String[1];
        walk(file, compression, (e, in) -> {
            entries.add(e);
            return false;
        });
        return new Info(file, h, compression[0], List.copyOf(entries));
    }

    /** The bytes of member {@code name}, or null when the NEFF has none. */
    public static byte[] readMember(Path file, String name) throws IOException {
        NeffHeader.read(file);
        byte[][] found = new byte[1][];
        walk(file, new String[1], (e, in) -> {
            if (stripDot(e.name()).equals(stripDot(name)) && e.type() == '0') {
                if (e.size() > Integer.MAX_VALUE - 8) {
                    throw new NeffFormatException(file + ": member " + name + " is too large to read into memory");
                }
                found[0] = in.readNBytes((int) e.size());
                return true;
            }
            return false;
        });
        return found[0];
    }

    private interface Visitor {
        /** Returns true to stop; may consume the member's bytes from {@code in}. */
        boolean visit(Entry e, InputStream in) throws IOException;
    }

    private static void walk(Path file, String[] compression, Visitor v) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.skipNBytes(NeffHeader.SIZE);
            raw.mark(2);
            boolean gz = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            compression[0] = gz ? "gzip" : "tar";
            InputStream in = gz ? new GZIPInputStream(raw, 65536) : raw;
            readTar(in, file, v);
        } catch (ZipException | EOFException e) {
            throw new NeffFormatException(file + ": the NEFF payload is damaged or truncated (" + e.getMessage() + ")");
        }
    }

    private static void readTar(InputStream in, Path file, Visitor v) throws IOException {
        byte[] block = new byte[512];
        String longName = null;
        int count = 0;
        while (true) {
            if (in.readNBytes(block, 0, 512) < 512) {
                throw new NeffFormatException(file + ": the NEFF payload tar is truncated after " + count + " members");
            }
            if (allZero(block)) {
                return;   // end-of-archive marker
            }
            if (++count > MAX_ENTRIES) {
                throw new NeffFormatException(file + ": the NEFF payload lists more than " + MAX_ENTRIES + " members");
            }
            long size = parseSize(block, file);
            char type = block[156] == 0 ? '0' : (char) block[156];
            String name = longName != null ? longName : field(block, 0, 100);
            longName = null;
            String prefix = field(block, 345, 155);
            if (!prefix.isEmpty() && name.equals(field(block, 0, 100))) {
                name = prefix + "/" + name;
            }
            long padded = (size + 511) / 512 * 512;
            if (type == 'L') {   // GNU long name: the next header's name is this member's content
                if (size > 65536) {
                    throw new NeffFormatException(file + ": a tar long name of " + size + " bytes is not credible");
                }
                longName = new String(in.readNBytes((int) size), StandardCharsets.UTF_8).replace("\0", "");
                in.skipNBytes(padded - size);
                continue;
            }
            if (type == 'x' || type == 'g') {   // pax headers carry metadata only
                in.skipNBytes(padded);
                continue;
            }
            BoundedInput body = new BoundedInput(in, size);
            if (v.visit(new Entry(name, size, type), body)) {
                return;
            }
            in.skipNBytes(size - body.consumed() + (padded - size));
        }
    }

    private static long parseSize(byte[] b, Path file) {
        if ((b[124] & 0x80) != 0) {   // GNU base-256 for members over 8 GiB
            long v = 0;
            for (int i = 125; i < 136; i++) {
                v = (v << 8) | (b[i] & 0xff);
            }
            return v;
        }
        String s = field(b, 124, 12).trim();
        try {
            return s.isEmpty() ? 0 : Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new NeffFormatException(file + ": the NEFF payload is not a tar archive (bad size field '" + s + "')");
        }
    }

    private static String field(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String stripDot(String n) {
        return n.startsWith("./") ? n.substring(2) : n;
    }

    /** A member's bytes: stops at its size so a visitor cannot read into the next header. */
    private static final class BoundedInput extends InputStream {
        private final InputStream in;
        private long left;
        private final long size;

        BoundedInput(InputStream in, long size) {
            this.in = in;
            this.left = size;
            this.size = size;
        }

        long consumed() {
            return size - left;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int c = in.read();
            if (c >= 0) {
                left--;
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
