package io.jneuron.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the header of one {@code .safetensors} file and the tensors in it through memory maps. The
 * format: an 8-byte little-endian header length, a JSON header mapping names to dtype, shape and
 * data offsets (relative to the end of the header), then the raw little-endian data. Every offset
 * is checked against the file size before anything is mapped, so a truncated file fails cleanly.
 */
public final class SafetensorsFile {
    /** Headers are small; a bigger one is a corrupt or hostile file. */
    static final long MAX_HEADER_BYTES = 100L << 20;
    /** Largest region mapped at once; tensors above it are read in several maps (files over 2 GiB work). */
    static final long MAP_CHUNK = 1L << 30;

    private final Path file;
    private final Map<String, TensorInfo> tensors;

    private SafetensorsFile(Path file, Map<String, TensorInfo> tensors) {
        this.file = file;
        this.tensors = tensors;
    }

    public Path file() {
        return file;
    }

    /** Tensors in header order. */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    public static SafetensorsFile open(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new ModelFormatException(file + ": truncated safetensors file (" + size + " bytes, no header)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen <= 0 || headerLen > MAX_HEADER_BYTES || 8 + headerLen > size) {
                throw new ModelFormatException(file + ": bad safetensors header length " + headerLen
                        + " for a file of " + size + " bytes (truncated or not a safetensors file)");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLen);
            readFully(ch, header, 8);
            String json = new String(header.array(), StandardCharsets.UTF_8);
            return new SafetensorsFile(file, parseHeader(file, json, 8 + headerLen, size));
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(file + ": file not found");
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static Map<String, TensorInfo> parseHeader(Path file, String json, long dataStart, long size) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(file + ": malformed safetensors header JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(file + ": safetensors header is not a JSON object");
        }
        Map<String, TensorInfo> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (name.equals("__metadata__")) {
                continue;
            }
            JsonNode t = e.getValue();
            String dtype = t.path("dtype").asText("");
            int elemSize = elementSize(file, name, dtype);
            JsonNode shapeNode = t.path("shape");
            JsonNode offs = t.path("data_offsets");
            if (!shapeNode.isArray() || !offs.isArray() || offs.size() != 2) {
                throw new ModelFormatException(file + ": tensor '" + name + "' lacks shape or data_offsets");
            }
            long[] shape = new long[shapeNode.size()];
            long count = 1;
            long bytes;
            try {
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shapeNode.get(i).asLong(-1);
                    if (shape[i] < 0) {
                        throw new ModelFormatException(file + ": tensor '" + name + "' has a bad shape " + shapeNode);
                    }
                    count = Math.multiplyExact(count, shape[i]);
                }
                bytes = Math.multiplyExact(count, (long) elemSize);
            } catch (ArithmeticException overflow) {
                // A hostile or corrupt header; without this the overflow escapes as an unexplained crash.
                throw new ModelFormatException(file + ": tensor '" + name + "' has a shape " + shapeNode
                        + " too large to address");
            }
            long begin = offs.get(0).asLong(-1);
            long end = offs.get(1).asLong(-1);
            if (begin < 0 || end < begin) {
                throw new ModelFormatException(file + ": tensor '" + name + "' has bad data_offsets " + offs);
            }
            if (end - begin != bytes) {
                throw new ModelFormatException(file + ": tensor '" + name + "' shape " + shapeNode + " " + dtype
                        + " needs " + bytes + " bytes but data_offsets " + offs + " hold " + (end - begin));
            }
            if (end > size - dataStart) { // not dataStart + end, which a huge offset could overflow
                throw new ModelFormatException(file + ": truncated: tensor '" + name + "' ends at byte "
                        + (dataStart + end) + " but the file has " + size + " bytes");
            }
            out.put(name, new TensorInfo(name, dtype, shape, file, dataStart + begin, end - begin));
        }
        refuseOverlaps(file, out, dataStart);
        return out;
    }

    /** Two tensors over the same bytes would load one's weights as the other's, silently: refused. */
    private static void refuseOverlaps(Path file, Map<String, TensorInfo> tensors, long dataStart) {
        List<TensorInfo> byStart = new ArrayList<>();
        for (TensorInfo t : tensors.values()) {
            if (t.byteLength() > 0) {
                byStart.add(t);
            }
        }
        byStart.sort(Comparator.comparingLong(TensorInfo::offset));
        for (int i = 1; i < byStart.size(); i++) {
            TensorInfo a = byStart.get(i - 1);
            TensorInfo b = byStart.get(i);
            if (b.offset() < a.offset() + a.byteLength()) {
                throw new ModelFormatException(file + ": tensors '" + a.name() + "' (bytes " + (a.offset() - dataStart) + "-"
                        + (a.offset() + a.byteLength() - dataStart) + ") and '" + b.name() + "' (bytes " + (b.offset() - dataStart)
                        + "-" + (b.offset() + b.byteLength() - dataStart) + ") overlap; the file is corrupt or was not written by "
                        + "a safetensors writer, re-export or re-download it");
            }
        }
    }

    static int elementSize(Path file, String name, String dtype) {
        switch (dtype) {
            case "F32":
                return 4;
            case "F16":
            case "BF16":
                return 2;
            default:
                throw new ModelFormatException(file + ": tensor '" + name + "' has unsupported dtype '" + dtype
                        + "'; jneuron reads F32, F16 and BF16 weights");
        }
    }

    /** Reads a tensor converted to fp32, in row-major order. */
    public static float[] readFloats(TensorInfo t) {
        long count = t.elementCount();
        if (count > Integer.MAX_VALUE - 8) {
            throw new ModelFormatException(t.file() + ": tensor '" + t.name() + "' has " + count
                    + " elements, more than one Java array holds");
        }
        int elem = elementSize(t.file(), t.name(), t.dtype());
        float[] out = new float[(int) count];
        try (FileChannel ch = FileChannel.open(t.file(), StandardOpenOption.READ)) {
            int done = 0;
            long pos = t.offset();
            long remaining = t.byteLength();
            while (remaining > 0) {
                long len = Math.min(remaining, MAP_CHUNK - (MAP_CHUNK % 4));
                MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, pos, len);
                map.order(ByteOrder.LITTLE_ENDIAN);
                int n = (int) (len / elem);
                convert(t.dtype(), map, out, done, n);
                done += n;
                pos += len;
                remaining -= len;
            }
        } catch (IOException e) {
            throw new ModelFormatException(t.file() + ": cannot read tensor '" + t.name() + "': " + e.getMessage(), e);
        }
        return out;
    }

    private static void convert(String dtype, ByteBuffer src, float[] dst, int at, int n) {
        switch (dtype) {
            case "F32" -> src.asFloatBuffer().get(dst, at, n);
            case "BF16" -> {
                var s = src.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    dst[at + i] = Float.intBitsToFloat((s.get(i) & 0xffff) << 16);
                }
            }
            case "F16" -> {
                var s = src.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    dst[at + i] = HalfFloats.toFloat(s.get(i));
                }
            }
            default -> throw new IllegalStateException("unchecked dtype " + dtype);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            pos += n;
        }
    }

    /** True when {@code file} exists and is a regular file. */
    static boolean exists(Path file) {
        return Files.isRegularFile(file);
    }
}
