package io.jneuron.core.model;

import io.jneuron.core.files.AtomicFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jneuron.core.NeuronKernelException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes one {@code .safetensors} file: an 8-byte little-endian header length, a JSON header padded
 * with spaces so the data starts on an 8-byte boundary, then every tensor's little-endian bytes back
 * to back in the order they were added (the format forbids holes between tensors).
 *
 * <p>Tensor values are pulled from a {@link Values} source in chunks while writing, so a file far
 * larger than the heap can be produced. The file appears atomically: it is written to a temporary
 * file in the same folder and moved into place. Not thread-safe; a writer may be used for several
 * {@link #write} calls.
 */
public final class SafetensorsWriter {
    /** Elements converted per chunk; keeps the write buffer at a few hundred KB whatever the tensor size. */
    private static final int CHUNK = 1 << 16;

    /** Produces the values of one tensor, in row-major order, chunk by chunk. */
    @FunctionalInterface
    public interface Values {
        /** Fills {@code dst[0..count)} with elements {@code first .. first+count-1} of the tensor. */
        void fill(long first, float[] dst, int count);
    }

    private record Entry(String name, String dtype, long[] shape, long count, Values values) {
    }

    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<Entry> entries = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    public static SafetensorsWriter create() {
        return new SafetensorsWriter();
    }

    private SafetensorsWriter() {
    }

    /** A {@code __metadata__} string entry; transformers writes {@code "format": "pt"}. */
    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * Adds a tensor whose values are produced while writing.
     *
     * @param dtype "F32", "F16" or "BF16"; narrow types are rounded to nearest even
     * @throws IllegalArgumentException for a duplicate or empty name, an unknown dtype or a negative dimension
     */
    public SafetensorsWriter add(String name, String dtype, long[] shape, Values values) {
        Objects.requireNonNull(values, "values");
        if (name == null || name.isEmpty() || name.equals("__metadata__")) {
            throw new IllegalArgumentException("bad tensor name '" + name + "'");
        }
        if (!names.add(name)) {
            throw new IllegalArgumentException("tensor '" + name + "' was added twice");
        }
        elementSize(dtype, name);
        long count = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension in "
                        + java.util.Arrays.toString(shape));
            }
            count = Math.multiplyExact(count, d);
        }
        entries.add(new Entry(name, dtype, shape.clone(), count, values));
        return this;
    }

    /** Adds a tensor from an array holding all its values in row-major order. */
    public SafetensorsWriter add(String name, String dtype, long[] shape, float[] data) {
        SafetensorsWriter w = add(name, dtype, shape, (first, dst, count) ->
                System.arraycopy(data, (int) first, dst, 0, count));
        long expected = entries.get(entries.size() - 1).count();
        if (expected != data.length) {
            entries.remove(entries.size() - 1);
            names.remove(name);
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + java.util.Arrays.toString(shape)
                    + " (" + expected + " elements) but " + data.length + " values were given");
        }
        return w;
    }

    /** Bytes of tensor data (without the header): what {@code metadata.total_size} of a shard index counts. */
    public long dataBytes() {
        long total = 0;
        for (Entry e : entries) {
            total += e.count() * elementSize(e.dtype(), e.name());
        }
        return total;
    }

    /** Names in the order they are written. */
    public List<String> tensorNames() {
        return entries.stream().map(Entry::name).toList();
    }

    /**
     * Writes the file through a temporary sibling and an atomic move.
     *
     * @return the size of the file in bytes
     * @throws NeuronKernelException when the file cannot be written; nothing is left behind
     */
    public long write(Path file) {
        byte[] header = header();
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            shareable(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK * 4).order(ByteOrder.LITTLE_ENDIAN);
                buf.putLong(header.length);
                writeFully(ch, buf.flip());
                writeFully(ch, ByteBuffer.wrap(header));
                float[] values = new float[CHUNK];
                for (Entry e : entries) {
                    writeTensor(ch, e, values, buf);
                }
            }
            // No fsync: the move alone already keeps a crashed writer's partial file out of sight.
            AtomicFiles.move(tmp, file);
            return 8L + header.length + dataBytes();
        } catch (IOException e) {
            throw new NeuronKernelException(file + ": cannot write safetensors file: " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The move succeeded or the original error is the one to report.
                }
            }
        }
    }

    private static void writeTensor(FileChannel ch, Entry e, float[] values, ByteBuffer buf) throws IOException {
        for (long done = 0; done < e.count(); ) {
            int n = (int) Math.min(CHUNK, e.count() - done);
            e.values().fill(done, values, n);
            buf.clear();
            switch (e.dtype()) {
                case "F32" -> {
                    for (int i = 0; i < n; i++) {
                        buf.putFloat(values[i]);
                    }
                }
                case "F16" -> {
                    for (int i = 0; i < n; i++) {
                        buf.putShort(HalfFloats.fromFloat(values[i]));
                    }
                }
                case "BF16" -> {
                    for (int i = 0; i < n; i++) {
                        buf.putShort(HalfFloats.floatToBf16(values[i]));
                    }
                }
                default -> throw new IllegalStateException("unchecked dtype " + e.dtype());
            }
            writeFully(ch, buf.flip());
            done += n;
        }
    }

    /** The JSON header, padded with spaces so that 8 + its length is a multiple of 8. */
    private byte[] header() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Entry e : entries) {
            ObjectNode t = root.putObject(e.name());
            t.put("dtype", e.dtype());
            ArrayNode shape = t.putArray("shape");
            for (long d : e.shape()) {
                shape.add(d);
            }
            long end = offset + e.count() * elementSize(e.dtype(), e.name());
            t.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json;
        try {
            json = Json.MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot serialise a safetensors header", ex);
        }
        int padded = (json.length + 7) & ~7;
        byte[] out = new byte[padded];
        System.arraycopy(json, 0, out, 0, json.length);
        java.util.Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    /**
     * Temp files are created owner-only; a checkpoint or artifact is meant to be read by others too
     * (a shared cache), so give it the usual rw-r--r-- where the file system has POSIX permissions.
     */
    private static void shareable(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    private static int elementSize(String dtype, String name) {
        return switch (String.valueOf(dtype)) {
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            default -> throw new IllegalArgumentException("tensor '" + name + "': dtype '" + dtype
                    + "' cannot be written; use F32, F16 or BF16");
        };
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
