package io.jneuron.core.testing;

import io.jneuron.core.model.ModelFormatException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an ONNX {@code ModelProto} that a weight conversion needs: the graph's nodes (op type,
 * inputs, outputs) and its fp32 initializers. Read with a minimal protobuf wire-format decoder over a
 * memory map (field numbers from onnx.proto: ModelProto.graph = 7; GraphProto.node = 1,
 * initializer = 5; NodeProto.input = 1, output = 2, op_type = 4; TensorProto.dims = 1,
 * data_type = 2, float_data = 4, name = 8, raw_data = 9, external_data = 13).
 */
public final class OnnxGraph {
    /** One operator: what it reads and writes. */
    public record Node(String opType, List<String> inputs, List<String> outputs) {
    }

    /** An initializer: its shape, and where its little-endian fp32 values lie in the file. */
    public record Initializer(String name, long[] dims, int dataType, ByteBuffer data) {
        public static final int FLOAT = 1;

        public long count() {
            long n = 1;
            for (long d : dims) {
                n *= d;
            }
            return n;
        }

        /** The values as fp32 (only for {@link #FLOAT} tensors). */
        public float[] floats() {
            if (dataType != FLOAT) {
                throw new ModelFormatException("ONNX initializer '" + name + "' has data type " + dataType
                        + ", not float");
            }
            float[] out = new float[Math.toIntExact(count())];
            data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        }
    }

    private final List<Node> nodes;
    private final Map<String, Initializer> initializers;

    private OnnxGraph(List<Node> nodes, Map<String, Initializer> initializers) {
        this.nodes = List.copyOf(nodes);
        this.initializers = initializers;
    }

    public List<Node> nodes() {
        return nodes;
    }

    public Map<String, Initializer> initializers() {
        return initializers;
    }

    public static OnnxGraph read(Path file) {
        MappedByteBuffer map;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read the ONNX file: " + e.getMessage(), e);
        }
        try {
            ByteBuffer graph = null;
            Wire model = new Wire(map);
            while (model.next()) {
                if (model.field == 7 && model.type == 2) {
                    graph = model.bytes();
                } else {
                    model.skip();
                }
            }
            if (graph == null) {
                throw new ModelFormatException(file + ": not an ONNX model (no graph)");
            }
            List<Node> nodes = new ArrayList<>();
            Map<String, Initializer> inits = new LinkedHashMap<>();
            Wire g = new Wire(graph);
            while (g.next()) {
                if (g.field == 1 && g.type == 2) {
                    nodes.add(node(g.bytes()));
                } else if (g.field == 5 && g.type == 2) {
                    Initializer t = tensor(file, g.bytes());
                    inits.put(t.name(), t);
                } else {
                    g.skip();
                }
            }
            return new OnnxGraph(nodes, inits);
        } catch (RuntimeException e) {
            if (e instanceof ModelFormatException) {
                throw e;
            }
            throw new ModelFormatException(file + ": not a readable ONNX model (" + e + ")", e);
        }
    }

    private static Node node(ByteBuffer b) {
        List<String> in = new ArrayList<>();
        List<String> out = new ArrayList<>();
        String op = "";
        Wire w = new Wire(b);
        while (w.next()) {
            switch (w.field) {
                case 1 -> in.add(w.string());
                case 2 -> out.add(w.string());
                case 4 -> op = w.string();
                default -> w.skip();
            }
        }
        return new Node(op, in, out);
    }

    private static Initializer tensor(Path file, ByteBuffer b) {
        List<Long> dims = new ArrayList<>();
        int type = 0;
        String name = "";
        ByteBuffer raw = null;
        ByteBuffer floats = null;
        Wire w = new Wire(b);
        while (w.next()) {
            if (w.field == 1 && w.type == 0) {
                dims.add(w.varint());
            } else if (w.field == 1 && w.type == 2) {
                Wire packed = new Wire(w.bytes());
                while (packed.buf.hasRemaining()) {
                    dims.add(packed.varint());
                }
            } else if (w.field == 2 && w.type == 0) {
                type = (int) w.varint();
            } else if (w.field == 4 && w.type == 2) {
                floats = w.bytes();
            } else if (w.field == 8 && w.type == 2) {
                name = w.string();
            } else if (w.field == 9 && w.type == 2) {
                raw = w.bytes();
            } else if (w.field == 13) {
                throw new ModelFormatException(file + ": initializer keeps its data in an external file; "
                        + "only self-contained ONNX files are read");
            } else {
                w.skip();
            }
        }
        long[] d = dims.stream().mapToLong(Long::longValue).toArray();
        ByteBuffer data = raw != null ? raw : floats != null ? floats : ByteBuffer.allocate(0);
        Initializer t = new Initializer(name, d, type, data);
        if (type == Initializer.FLOAT && data.remaining() != 4 * t.count()) {
            throw new ModelFormatException(file + ": initializer '" + name + "' holds " + data.remaining()
                    + " bytes for " + t.count() + " floats");
        }
        return t;
    }

    /** A cursor over protobuf wire format: {@link #next()} reads a key, then one read or skip per key. */
    private static final class Wire {
        final ByteBuffer buf;
        int field;
        int type;

        Wire(ByteBuffer buf) {
            this.buf = buf.slice().order(ByteOrder.LITTLE_ENDIAN);
        }

        boolean next() {
            if (!buf.hasRemaining()) {
                return false;
            }
            long key = varint();
            field = (int) (key >>> 3);
            type = (int) (key & 7);
            return true;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = buf.get();
                v |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return v;
                }
            }
            throw new IllegalStateException("varint longer than 10 bytes");
        }

        ByteBuffer bytes() {
            int len = Math.toIntExact(varint());
            ByteBuffer out = buf.slice();
            out.limit(len);
            buf.position(buf.position() + len);
            return out;
        }

        String string() {
            ByteBuffer b = bytes();
            byte[] a = new byte[b.remaining()];
            b.get(a);
            return new String(a, StandardCharsets.UTF_8);
        }

        void skip() {
            switch (type) {
                case 0 -> varint();
                case 1 -> buf.position(buf.position() + 8);
                case 2 -> bytes();
                case 5 -> buf.position(buf.position() + 4);
                default -> throw new IllegalStateException("unsupported wire type " + type);
            }
        }
    }
}
