package io.jneuron.cpu.artifact;

import io.jneuron.core.model.ModelFormatException;
import io.jneuron.core.shape.DType;
import io.jneuron.cpu.tensor.PackedMatrix;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Opens an artifact: checks magic, version and that every tensor lies inside the file. Matrices are then
 * memory-mapped read-only and used in place by the kernels (no copy, no conversion): load time and
 * resident memory follow the OS page cache, and processes loading the same artifact share its pages.
 * A mapping outlives this reader and the file's name: the artifact cache replaces files by atomic
 * rename and deletes them by unlink, both of which keep the mapped inode (nothing rewrites an artifact
 * in place, which would fault a mapped reader). Mappings are released when the model is collected.
 * Small vectors (norms, biases) are copied into arrays.
 */
public final class ArtifactReader implements AutoCloseable {
    private final Path file;
    private final FileChannel ch;
    private final Manifest manifest;
    private final Map<String, TensorEntry> byName = new HashMap<>();
    private final ByteBuffer buf = ByteBuffer.allocateDirect(256 << 10).order(ByteOrder.LITTLE_ENDIAN);

    private ArtifactReader(Path file, FileChannel ch, Manifest manifest) {
        this.file = file;
        this.ch = ch;
        this.manifest = manifest;
        manifest.tensors().forEach(t -> byName.put(t.name(), t));
    }

    public static ArtifactReader open(Path file) {
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
            long size = ch.size();
            ByteBuffer head = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            if (size < 16 || ch.read(head, 0) != 16) {
                throw new ModelFormatException(file + ": not a jneuron CPU artifact (too short)");
            }
            head.flip();
            byte[] magic = new byte[8];
            head.get(magic);
            if (!Arrays.equals(magic, ArtifactFormat.MAGIC)) {
                throw new ModelFormatException(file + ": not a jneuron CPU artifact (bad magic); re-export the model");
            }
            long headerLen = head.getLong();
            if (headerLen <= 0 || headerLen > ArtifactFormat.MAX_HEADER_BYTES || 16 + headerLen > size) {
                throw new ModelFormatException(file + ": corrupt artifact header length " + headerLen);
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLen);
            while (header.hasRemaining()) {
                if (ch.read(header, 16 + header.position()) < 0) {
                    throw new ModelFormatException(file + ": truncated artifact header");
                }
            }
            Manifest m = ArtifactFormat.JSON.readValue(header.array(), Manifest.class);
            boolean oldInt8 = m.formatVersion() < 2 && m.tensors().stream().anyMatch(t -> t.dtype() == DType.INT8);
            if (m.formatVersion() > ArtifactFormat.FORMAT_VERSION || m.formatVersion() < ArtifactFormat.OLDEST_READABLE
                    || oldInt8) {
                throw new ModelFormatException(file + ": artifact format " + m.formatVersion() + ", this jneuron reads "
                        + ArtifactFormat.FORMAT_VERSION + "; re-export the model");
            }
            for (TensorEntry t : m.tensors()) {
                long expected = TensorEntry.MATRIX.equals(t.kind())
                        ? PackedMatrix.storageLength(t.dtype(), t.rows(), t.cols()) * 4 : 4L * t.rows() * t.cols();
                if (t.length() != expected || t.offset() < 16 + headerLen || t.offset() + t.length() > size) {
                    throw new ModelFormatException(file + ": tensor '" + t.name() + "' lies outside the file or has a "
                            + "wrong size (truncated or corrupt artifact); re-export the model");
                }
            }
            return new ArtifactReader(file, ch, m);
        } catch (NoSuchFileException e) {
            close(ch);
            throw new ModelFormatException(file + ": artifact not found");
        } catch (IOException e) {
            close(ch);
            throw new ModelFormatException(file + ": cannot read artifact: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close(ch);
            throw e;
        }
    }

    private static void close(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // already failing with a better message
            }
        }
    }

    public Manifest manifest() {
        return manifest;
    }

    public boolean has(String name) {
        return byName.containsKey(name);
    }

    public PackedMatrix matrix(String name) {
        TensorEntry t = entry(name, TensorEntry.MATRIX);
        DType dtype = t.dtype();
        int per = PackedMatrix.chunkRows(dtype, t.cols());
        long rowBytes = PackedMatrix.rowBytes(dtype, t.cols());
        ByteBuffer[] chunks = new ByteBuffer[PackedMatrix.chunkCount(dtype, t.rows(), t.cols())];
        try {
            for (int c = 0; c < chunks.length; c++) {
                long first = (long) c * per;
                long rows = Math.min(per, t.rows() - first);
                chunks[c] = ch.map(FileChannel.MapMode.READ_ONLY, t.offset() + first * rowBytes, rows * rowBytes);
            }
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot map artifact: " + e.getMessage(), e);
        }
        float[] scales = null;
        if (dtype == DType.INT8) {
            scales = new float[t.rows()];
            float[] dst = scales;
            read(t.offset() + PackedMatrix.int8DataLength(t.rows(), t.cols()), dst.length,
                    (done, n) -> buf.asFloatBuffer().get(dst, done, n));
        }
        return PackedMatrix.wrap(dtype, t.rows(), t.cols(), chunks, scales);
    }

    public float[] vector(String name) {
        TensorEntry t = entry(name, TensorEntry.VECTOR);
        float[] f = new float[Math.toIntExact(t.length() / 4)];
        readFloats(t, f);
        return f;
    }

    private TensorEntry entry(String name, String kind) {
        TensorEntry t = byName.get(name);
        if (t == null || !t.kind().equals(kind)) {
            throw new ModelFormatException(file + ": artifact lacks " + kind + " '" + name + "'; re-export the model");
        }
        return t;
    }

    private void readFloats(TensorEntry t, float[] dst) {
        read(t.offset(), dst.length, (done, n) -> buf.asFloatBuffer().get(dst, done, n));
    }

    /** Copies {@code count} 4-byte elements from file offset {@code start} in buffer-sized chunks through {@code sink}. */
    private void read(long start, int count, java.util.function.BiConsumer<Integer, Integer> sink) {
        int done = 0;
        long pos = start;
        while (done < count) {
            int n = fill(pos, Math.min(count - done, buf.capacity() / 4));
            sink.accept(done, n);
            done += n;
            pos += n * 4L;
        }
    }

    private int fill(long pos, int elements) {
        buf.clear().limit(elements * 4);
        try {
            while (buf.hasRemaining()) {
                if (ch.read(buf, pos + buf.position()) < 0) {
                    throw new ModelFormatException(file + ": truncated artifact");
                }
            }
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read artifact: " + e.getMessage(), e);
        }
        buf.flip();
        return elements;
    }

    @Override
    public void close() {
        close(ch);
    }
}
