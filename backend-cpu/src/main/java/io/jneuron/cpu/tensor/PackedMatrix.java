package io.jneuron.cpu.tensor;

import io.jneuron.core.model.HalfFloats;
import io.jneuron.core.shape.DType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;

/**
 * A weight matrix {@code [rows, cols]} laid out for the kernels: row-major with each row padded to
 * {@link #stride()} (a multiple of {@link #BLOCK}) with zeros, so kernels never run a tail loop.
 *
 * <p>fp32 rows are plain floats. bf16 and fp16 rows are packed two 16-bit values per int in blocks
 * of 32 elements: int {@code j} of a block holds element {@code j} in its low half and element
 * {@code j + 16} in its high half. A kernel then turns one int vector into two float vectors with a
 * shift and a mask (no lane shuffles), each matching a contiguous slice of the activation vector.
 *
 * <p>int8 rows (weight-only quantization) are plain row-major bytes, element {@code c} at byte
 * {@code c} of its row, so a kernel widens L bytes to L floats with one sign-extending conversion.
 * Each row has one fp32 scale ({@code max|w| / 127}, symmetric); the value is {@code scale * q}.
 * In the artifact the scales follow the rows.
 *
 * <p>The bytes are kept exactly as the artifact stores them, little-endian, outside the Java heap: a
 * loaded model reads its mapped artifact in place (nothing is copied at load, and the pages belong to
 * the OS page cache), and {@link #pack} fills direct buffers of the same layout. A buffer is indexed by
 * int, so a matrix over 2 GiB is split into chunks of whole rows ({@link #chunkRows()}, a multiple of 4).
 */
public final class PackedMatrix {
    static {
        // Before any kernel over a matrix is compiled (see BufferClasses).
        BufferClasses.load();
    }

    /** Elements per packed block; every vector width up to 512 bits divides it. */
    public static final int BLOCK = 32;
    /** int8 only: the largest quantized magnitude. */
    public static final int INT8_MAX = 127;

    private final DType dtype;
    private final int rows;
    private final int cols;
    private final int stride;
    private final int chunkRows;
    /** Rows {@code [c * chunkRows, ...)} of chunk c, little-endian, position 0. */
    private final ByteBuffer[] chunks;
    /**
     * What vector loads read for each chunk (see {@link VectorLoads#view}): fp32's, and on JDK 20+ every dtype's (long
     * rows' decode); null otherwise and without the Vector API.
     */
    private final Object[] views;
    /** fp32 only: float views of the chunks, for row copies. */
    private final FloatBuffer[] floats;
    /** bf16 and fp16 only: int views of the chunks (two weights per int). */
    private final IntBuffer[] ints;
    /** int8 only: the per-row scales (a copy; 4 bytes per row). */
    private final float[] scales;

    private PackedMatrix(DType dtype, int rows, int cols, ByteBuffer[] chunks, float[] scales) {
        this.dtype = dtype;
        this.rows = rows;
        this.cols = cols;
        this.stride = strideFor(cols);
        this.chunkRows = chunkRows(dtype, cols);
        this.chunks = chunks;
        this.scales = scales;
        this.views = new Object[chunks.length];
        this.floats = new FloatBuffer[chunks.length];
        this.ints = new IntBuffer[chunks.length];
        for (int c = 0; c < chunks.length; c++) {
            chunks[c] = chunks[c].order(ByteOrder.LITTLE_ENDIAN);
            check(chunks[c].capacity(), rowBytes(dtype, cols) * Math.min(chunkRows, rows - (long) c * chunkRows));
            views[c] = Kernels.vectorized() && (dtype == DType.FP32 || VectorLoads.segments())
                    ? VectorLoads.view(chunks[c]) : null;
            floats[c] = dtype == DType.FP32 ? chunks[c].asFloatBuffer() : null;
            ints[c] = dtype == DType.BF16 || dtype == DType.FP16 ? chunks[c].asIntBuffer() : null;
        }
    }

    public static int strideFor(int cols) {
        return (cols + BLOCK - 1) / BLOCK * BLOCK;
    }

    /** Bytes of one stored row (int8: without its scale). */
    public static long rowBytes(DType dtype, int cols) {
        long n = strideFor(cols);
        return switch (dtype) {
            case FP32 -> 4 * n;
            case BF16, FP16 -> 2 * n;
            case INT8 -> n;
        };
    }

    /** Rows per chunk: as many as fit in a buffer (under 2 GiB), a multiple of 4 so row blocks never straddle. */
    public static int chunkRows(DType dtype, int cols) {
        long fit = (Integer.MAX_VALUE / rowBytes(dtype, cols)) / 4 * 4;
        return (int) Math.max(4, Math.min(fit, Integer.MAX_VALUE / 4 * 4));
    }

    /** Number of chunks a matrix of {@code rows} is split into. */
    public static int chunkCount(DType dtype, int rows, int cols) {
        int per = chunkRows(dtype, cols);
        return Math.max(1, (rows + per - 1) / per);
    }

    /** Number of 4-byte elements (floats or ints) the packed data of a matrix occupies (int8: with its scales). */
    public static long storageLength(DType dtype, int rows, int cols) {
        long n = (long) rows * strideFor(cols);
        return switch (dtype) {
            case FP32 -> n;
            case BF16, FP16 -> n / 2;
            case INT8 -> n / 4 + rows;
        };
    }

    /** int8 only: the number of bytes of the rows (the scales follow them in storage). */
    public static long int8DataLength(int rows, int cols) {
        return (long) rows * strideFor(cols);
    }

    /**
     * Wraps stored rows in place, no copy: {@code chunks} as split by {@link #chunkRows}, direct buffers (for example
     * mapped from an artifact; JDK 17's vector loads read them by address); {@code scales} for int8 only.
     */
    public static PackedMatrix wrap(DType dtype, int rows, int cols, ByteBuffer[] chunks, float[] scales) {
        check(chunks.length, chunkCount(dtype, rows, cols));
        for (ByteBuffer chunk : chunks) {
            if (!chunk.isDirect()) {
                throw new IllegalArgumentException("weights must be in direct buffers (mapped or allocateDirect)");
            }
        }
        if ((dtype == DType.INT8) != (scales != null) || scales != null && scales.length != rows) {
            throw new IllegalArgumentException("int8 needs one scale per row, other types none");
        }
        return new PackedMatrix(dtype, rows, cols, chunks.clone(), scales);
    }

    private static void check(long actual, long expected) {
        if (actual != expected) {
            throw new IllegalArgumentException("storage of " + actual + " elements, expected " + expected);
        }
    }

    /** Packs a row-major {@code [rows, cols]} fp32 matrix, casting to {@code dtype} (round to nearest even). */
    public static PackedMatrix pack(DType dtype, int rows, int cols, float[] src) {
        if (src.length != (long) rows * cols) {
            throw new IllegalArgumentException("source has " + src.length + " elements, expected " + rows + "x" + cols);
        }
        int per = chunkRows(dtype, cols);
        long rowBytes = rowBytes(dtype, cols);
        ByteBuffer[] chunks = new ByteBuffer[chunkCount(dtype, rows, cols)];
        float[] scales = dtype == DType.INT8 ? new float[rows] : null;
        for (int k = 0; k < chunks.length; k++) {
            int r0 = k * per;
            int n = Math.min(per, rows - r0);
            // Direct, like a mapping: the kernels then only ever see one kind of buffer.
            ByteBuffer b = ByteBuffer.allocateDirect(Math.toIntExact(rowBytes * n)).order(ByteOrder.LITTLE_ENDIAN);
            for (int r = 0; r < n; r++) {
                int at = Math.toIntExact(r * rowBytes);
                int from = (r0 + r) * cols;
                switch (dtype) {
                    case FP32 -> {
                        for (int c = 0; c < cols; c++) {
                            b.putFloat(at + 4 * c, src[from + c]);
                        }
                    }
                    case INT8 -> scales[r0 + r] = quantizeRow(src, from, cols, b, at);
                    default -> {
                        for (int c = 0; c < cols; c++) {
                            b.putShort(at + offset16(c), encode(dtype, src[from + c]));
                        }
                    }
                }
            }
            chunks[k] = b.asReadOnlyBuffer();
        }
        return new PackedMatrix(dtype, rows, cols, chunks, scales);
    }

    /** Per-row symmetric int8: {@code scale = max|w| / 127}, {@code q = rint(w / scale)}; returns the scale. */
    private static float quantizeRow(float[] src, int from, int cols, ByteBuffer out, int at) {
        float max = 0;
        for (int c = 0; c < cols; c++) {
            max = Math.max(max, Math.abs(src[from + c]));
        }
        float scale = max / INT8_MAX;
        for (int c = 0; c < cols; c++) {
            int q = scale == 0 ? 0 : (int) Math.rint(src[from + c] / scale);
            out.put(at + c, (byte) Math.max(-INT8_MAX, Math.min(INT8_MAX, q)));
        }
        return scale;
    }

    /** Byte offset of 16-bit element c within its row: int j of a block holds j (low half) and j + 16 (high). */
    private static int offset16(int c) {
        int within = c % BLOCK;
        return 4 * (c / BLOCK * (BLOCK / 2) + within % (BLOCK / 2)) + (within < BLOCK / 2 ? 0 : 2);
    }

    private static short encode(DType dtype, float v) {
        return dtype == DType.BF16 ? HalfFloats.floatToBf16(v) : HalfFloats.fromFloat(v);
    }

    /** One element as fp32 (slow; for embeddings lookups and tests). */
    public float get(int r, int c) {
        ByteBuffer b = chunks[r / chunkRows];
        int at = Math.toIntExact((r % chunkRows) * rowBytes(dtype, cols));
        return switch (dtype) {
            case FP32 -> b.getFloat(at + 4 * c);
            case INT8 -> scales[r] * b.get(at + c);
            case BF16 -> HalfFloats.bf16ToFloat(b.getShort(at + offset16(c)));
            case FP16 -> HalfFloats.toFloat(b.getShort(at + offset16(c)));
        };
    }

    /** Copies row {@code r} as fp32 into {@code dst[at .. at+cols)}. */
    public void row(int r, float[] dst, int at) {
        if (dtype == DType.FP32) {
            floats[r / chunkRows].get((r % chunkRows) * stride, dst, at, cols);
            return;
        }
        for (int c = 0; c < cols; c++) {
            dst[at + c] = get(r, c);
        }
    }

    public DType dtype() {
        return dtype;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int stride() {
        return stride;
    }

    /** Rows per storage chunk (all rows when the matrix is under 2 GiB). */
    public int chunkRows() {
        return chunkRows;
    }

    int chunks() {
        return chunks.length;
    }

    /** Chunk c's bytes (for the scalar kernels). */
    ByteBuffer chunk(int c) {
        return chunks[c];
    }

    /** Chunk c as the vector loads read it. */
    Object view(int c) {
        return views[c];
    }

    /** bf16 / fp16: chunk c as ints, two weights each (absolute indices). */
    IntBuffer ints(int c) {
        return ints[c];
    }

    /** int8 per-row scales, or null. */
    float[] scales() {
        return scales;
    }

    /**
     * What an artifact stores, in order: the chunks' bytes (read-only duplicates, positioned at 0), then
     * for int8 the scales' bits.
     */
    public ByteBuffer[] storage() {
        int n = chunks.length;
        ByteBuffer[] all = new ByteBuffer[scales != null ? n + 1 : n];
        for (int c = 0; c < n; c++) {
            all[c] = chunks[c].duplicate();
        }
        if (scales != null) {
            ByteBuffer s = ByteBuffer.allocate(4 * scales.length).order(ByteOrder.LITTLE_ENDIAN);
            s.asFloatBuffer().put(scales);
            all[n] = s;
        }
        return all;
    }

    public long bytes() {
        return rows * rowBytes(dtype, cols) + (scales != null ? 4L * rows : 0);
    }
}
