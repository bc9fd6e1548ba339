package io.jneuron.cpu.artifact;

import io.jneuron.core.files.AtomicFiles;
import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.model.ModelConfig;
import io.jneuron.core.shape.DType;
import io.jneuron.cpu.tensor.PackedMatrix;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Writes an artifact in one pass: offsets are computed from shapes first, then each tensor is
 * produced (read, cast, packed) and streamed out, so only one tensor is in memory at a time. The file
 * appears under its final name only when complete (temp file in the same folder, then atomic move).
 */
public final class ArtifactWriter {
    /** A tensor still to be produced: a {@link PackedMatrix} for matrices, a float[] for vectors. */
    public record Source(String name, String kind, DType dtype, int rows, int cols, Supplier<Object> data) {
        public static Source matrix(String name, DType dtype, int rows, int cols, Supplier<Object> data) {
            return new Source(name, TensorEntry.MATRIX, dtype, rows, cols, data);
        }

        public static Source vector(String name, int length, Supplier<Object> data) {
            return new Source(name, TensorEntry.VECTOR, DType.FP32, 1, length, data);
        }

        long bytes() {
            return TensorEntry.MATRIX.equals(kind) ? PackedMatrix.storageLength(dtype, rows, cols) * 4 : 4L * rows * cols;
        }
    }

    private ArtifactWriter() {
    }

    public static long write(Path target, String compilerVersion, String checkpoint, ModelConfig config, String shape,
                             List<Source> sources, ProgressListener progress) {
        // The header size depends on the offsets it contains; two passes settle it (offsets only grow).
        long dataStart = 0;
        Manifest manifest = null;
        byte[] header = new byte[0];
        for (int pass = 0; pass < 3; pass++) {
            List<TensorEntry> entries = new ArrayList<>();
            long at = dataStart;
            for (Source s : sources) {
                if (TensorEntry.MATRIX.equals(s.kind())) {
                    at = ArtifactFormat.align(at, ArtifactFormat.MATRIX_ALIGN);
                }
                entries.add(new TensorEntry(s.name(), s.kind(), s.dtype(), s.rows(), s.cols(), at, s.bytes()));
                at = ArtifactFormat.align(at + s.bytes());
            }
            manifest = new Manifest(ArtifactFormat.FORMAT_VERSION, compilerVersion, checkpoint, config, shape, entries);
            try {
                header = ArtifactFormat.JSON.writeValueAsBytes(manifest);
            } catch (IOException e) {
                throw new IllegalStateException("cannot serialise the manifest", e);
            }
            long needed = ArtifactFormat.align(16L + header.length + 256);
            if (needed <= dataStart) {
                break;
            }
            dataStart = needed;
        }
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer head = ByteBuffer.allocate(16 + header.length).order(ByteOrder.LITTLE_ENDIAN);
                head.put(ArtifactFormat.MAGIC).putLong(header.length).put(header).flip();
                writeFully(ch, head, 0);
                ByteBuffer buf = ByteBuffer.allocateDirect(8 << 20).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < sources.size(); i++) {
                    Source s = sources.get(i);
                    progress.progress("pack " + s.name(), (double) i / sources.size());
                    writeTensor(ch, buf, s, manifest.tensors().get(i).offset());
                }
                ch.force(true);
            }
            long size = Files.size(tmp);
            AtomicFiles.move(tmp, target);
            tmp = null;
            progress.progress("packed", 1.0);
            return size;
        } catch (IOException e) {
            throw new NeuronKernelException("cannot write artifact " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temp name never poses as an artifact
                }
            }
        }
    }

    private static void writeTensor(FileChannel ch, ByteBuffer buf, Source s, long offset) throws IOException {
        Object data = s.data().get();
        if (data instanceof PackedMatrix m) {
            if (m.rows() != s.rows() || m.cols() != s.cols() || m.dtype() != s.dtype()) {
                throw new IllegalStateException(s.name() + ": produced " + m.rows() + "x" + m.cols() + " " + m.dtype());
            }
            data = m.storage();
        }
        long pos = offset;
        if (data instanceof ByteBuffer[] parts) {
            long n = 0;
            for (ByteBuffer p : parts) {
                n += p.remaining();
            }
            if (n != s.bytes()) {
                throw new IllegalStateException(s.name() + ": produced " + n + " bytes, expected " + s.bytes());
            }
            for (ByteBuffer p : parts) {
                pos += writeFully(ch, p, pos);
            }
        } else if (data instanceof float[] f) {
            if (f.length * 4L != s.bytes()) {
                throw new IllegalStateException(s.name() + ": produced " + f.length + " floats, expected " + s.bytes() / 4);
            }
            for (int i = 0; i < f.length; ) {
                int n = Math.min(f.length - i, buf.capacity() / 4);
                buf.clear();
                buf.asFloatBuffer().put(f, i, n);
                buf.limit(n * 4);
                pos += writeFully(ch, buf, pos);
                i += n;
            }
        } else {
            throw new IllegalStateException(s.name() + ": unexpected data " + data);
        }
    }

    private static long writeFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        long written = 0;
        while (buf.hasRemaining()) {
            written += ch.write(buf, pos + written);
        }
        return written;
    }
}
