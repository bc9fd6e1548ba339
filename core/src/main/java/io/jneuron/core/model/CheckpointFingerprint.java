package io.jneuron.core.model;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.files.AtomicFiles;
import io.jneuron.core.hub.internal.Hashing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * Stands in for {@code checkpoint_revision} when a model comes from a local folder (a Hub download has
 * its commit sha): 40 hex of a SHA-256 over the content of every file the export reads. Content, not
 * sizes and times, so weights rewritten in place with the same size and mtime give another revision,
 * hence another registry entry and compile-cache module, never a stale hit. Small files and safetensors
 * headers are hashed whole; tensor data, the bulk, is read once through CRC32C per 1 MiB chunk (the
 * CPU does it at memory speed) and those checksums go into the SHA-256, so any changed chunk changes
 * the fingerprint.
 *
 * <p>Within one process (a kernel exporting again), and across processes through a memo folder (the resolver uses
 * {@code $HF_HOME/jneuron/fingerprints}), a file's digest is reused while its inode, size, mtime and
 * ctime are unchanged. ctime is the guard: any write moves it, and unlike mtime it cannot be set back, so an
 * in-place rewrite is always hashed again. Without those attributes (not a POSIX file system) nothing is reused.
 */
public final class CheckpointFingerprint {
    private static final int CHUNK = 1 << 20;
    private static final Map<Path, Memo> MEMO = new ConcurrentHashMap<>();
    /** How long before hashing a file must have last changed for its digest to be remembered on disk. */
    static final long SETTLED_NANOS = 2_000_000_000L;

    /** A file's digest and the attributes it was computed under. */
    private record Memo(String attributes, byte[] digest) {
    }

    private CheckpointFingerprint() {
    }

    /** The fingerprint, with digests remembered in this process only. */
    public static String of(Path folder) {
        return of(folder, null);
    }

    /**
     * The fingerprint; with {@code memoDir}, file digests are also remembered on disk for later processes (a fresh
     * CLI run then reads no weights). A remembered digest counts only while the file's inode, size, mtime and ctime
     * are those it was computed under, and a file changed less than {@link #SETTLED_NANOS} before it was read is
     * not remembered (a write in the same clock tick would not move ctime: git's "racy" rule).
     */
    public static String of(Path folder, Path memoDir) {
        try {
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder)) {
                for (Path f : ds) {
                    String name = f.getFileName().toString();
                    if (Files.isRegularFile(f) && (ModelSource.SIDE_FILES.contains(name) || name.endsWith(".safetensors")
                            || name.equals(Checkpoint.WEIGHTS_INDEX))) {
                        files.add(f);
                    }
                }
            }
            files.sort(null);
            MessageDigest md = Hashing.md("SHA-256");
            for (Path f : files) {
                md.update((f.getFileName() + "\t" + Files.size(f) + "\n").getBytes(StandardCharsets.UTF_8));
                md.update(fileDigest(f, memoDir));
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 40);
        } catch (IOException e) {
            throw new NeuronKernelException("cannot read " + folder + " to fingerprint it: " + e.getMessage(), e);
        }
    }

    private static byte[] fileDigest(Path f, Path memoDir) throws IOException {
        Path key = f.toAbsolutePath().normalize();
        String attrs = attributes(key);
        Memo m = MEMO.get(key);
        if (attrs != null && m != null && m.attributes().equals(attrs)) {
            return m.digest();
        }
        Path memoFile = attrs == null || memoDir == null ? null
                : memoDir.resolve(Hashing.hex("SHA-256", key.toString()));
        byte[] d = memoFile == null ? null : remembered(memoFile, attrs);
        long start = System.currentTimeMillis();
        if (d == null) {
            MessageDigest md = Hashing.md("SHA-256");
            digest(f, md);
            d = md.digest();
            if (memoFile != null && attrs.equals(attributes(key)) && settled(key, start)) {
                try {
                    AtomicFiles.createDirectories(memoDir);
                    AtomicFiles.write(memoFile, (attrs + "\n" + HexFormat.of().formatHex(d) + "\n")
                            .getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // Only speed is lost: the next process hashes the file again.
                }
            }
        }
        if (attrs != null && attrs.equals(attributes(key))) { // unchanged while it was read
            MEMO.put(key, new Memo(attrs, d));
        }
        return d;
    }

    /** The digest a memo file holds for exactly these attributes, or null. */
    private static byte[] remembered(Path memoFile, String attrs) {
        try {
            String[] lines = Files.readString(memoFile, StandardCharsets.UTF_8).split("\n");
            return lines.length >= 2 && lines[0].equals(attrs) && lines[1].matches("[0-9a-f]{64}")
                    ? HexFormat.of().parseHex(lines[1]) : null;
        } catch (IOException | RuntimeException e) {
            return null; // missing or unreadable: hash the file
        }
    }

    /** Whether the file's last change (ctime) was at least {@link #SETTLED_NANOS} before {@code startMillis}. */
    private static boolean settled(Path f, long startMillis) throws IOException {
        FileTime ctime = (FileTime) Files.getAttribute(f, "unix:ctime");
        return ctime.to(TimeUnit.NANOSECONDS) < TimeUnit.MILLISECONDS.toNanos(startMillis) - SETTLED_NANOS;
    }

    /** inode, size, mtime and ctime (nanoseconds), or null where the file system has no such attributes. */
    private static String attributes(Path f) throws IOException {
        try {
            Map<String, Object> a = Files.readAttributes(f, "unix:ino,size,lastModifiedTime,ctime");
            return "ino=" + a.get("ino") + " size=" + a.get("size") + " mtime="
                    + ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS) + " ctime="
                    + ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Forgets this process's digests (tests: a fresh process). */
    static void forgetInProcess() {
        MEMO.clear();
    }

    /** Whole bytes up to the first chunk (configs, tokenizers, a safetensors header), then chunk checksums. */
    private static void digest(Path f, MessageDigest md) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            long size = ch.size();
            long head = Math.min(size, headBytes(ch, f));
            ByteBuffer buf = ByteBuffer.allocate(CHUNK);
            long pos = 0;
            while (pos < head) {
                buf.clear().limit((int) Math.min(CHUNK, head - pos));
                pos += read(ch, buf, pos);
                md.update(buf.flip());
            }
            CRC32C crc = new CRC32C();
            ByteBuffer sums = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            while (pos < size) {
                buf.clear().limit((int) Math.min(CHUNK, size - pos));
                pos += read(ch, buf, pos);
                crc.reset();
                crc.update(buf.flip());
                md.update(sums.clear().putLong(crc.getValue()).flip());
            }
        }
    }

    /** How much of a file is hashed whole: a safetensors file's length prefix and header, else up to one chunk. */
    private static long headBytes(FileChannel ch, Path f) throws IOException {
        if (!f.getFileName().toString().endsWith(".safetensors") || ch.size() < 8) {
            return CHUNK;
        }
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        read(ch, len, 0);
        long header = len.flip().getLong();
        // A bad length is the reader's to report; here it only bounds what is hashed whole.
        return header < 0 || header > SafetensorsFile.MAX_HEADER_BYTES ? CHUNK : 8 + header;
    }

    private static int read(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        int total = 0;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + total);
            if (n < 0) {
                throw new IOException("file shrank while it was read");
            }
            total += n;
        }
        return total;
    }
}
