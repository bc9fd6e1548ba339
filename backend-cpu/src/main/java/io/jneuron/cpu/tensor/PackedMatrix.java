package io.jneuron.cpu.tensor;

import io.jneuron.core.model.HalfFloats;
import io.jneuron.core.shape.DType;

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
 */
public final class PackedMatrix {
    /** Elements per packed block; every vector width up to 512 bits divides it. */
    public static final int BLOCK = 32;

    private final DType dtype;
    private final int rows;
    private final int cols;
    private final int stride;
    /** int8 only: the largest quantized magnitude. */
    public static final int INT8_MAX = 127;

    private final float[] f32;
    private final int[] packed;
    private final byte[] q;
    private final float[] scales;

    private PackedMatrix(DType dtype, int rows, int cols, float[] f32, int[] packed, byte[] q, float[] scales) {
        this.dtype = dtype;
        this.rows = rows;
        this.cols = cols;
        this.stride = strideFor(cols);
        this.f32 = f32;
        this.packed = packed;
        this.q = q;
        this.scales = scales;
    }

    public static int strideFor(int cols) {
        return (cols + BLOCK - 1) / BLOCK * BLOCK;
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

    /** Wraps already-packed storage (as read from an artifact); no copy. */
    public static PackedMatrix wrapF32(int rows, int cols, float[] data) {
        check(data.length, storageLength(DType.FP32, rows, cols));
        return new PackedMatrix(DType.FP32, rows, cols, data, null, null, null);
    }

    public static PackedMatrix wrapPacked16(DType dtype, int rows, int cols, int[] data) {
        if (dtype != DType.BF16 && dtype != DType.FP16) {
            throw new IllegalArgumentException("packed 16-bit storage cannot hold " + dtype);
        }
        check(data.length, storageLength(dtype, rows, cols));
        return new PackedMatrix(dtype, rows, cols, null, data, null, null);
    }

    /** Wraps int8 rows and their per-row scales; no copy. */
    public static PackedMatrix wrapInt8(int rows, int cols, byte[] data, float[] scales) {
        check(data.length, int8DataLength(rows, cols));
        check(scales.length, rows);
        return new PackedMatrix(DType.INT8, rows, cols, null, null, data, scales);
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
        int stride = strideFor(cols);
        if (dtype == DType.FP32) {
            float[] out = new float[Math.toIntExact((long) rows * stride)];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(src, r * cols, out, r * stride, cols);
            }
            return new PackedMatrix(dtype, rows, cols, out, null, null, null);
        }
        if (dtype == DType.INT8) {
            return quantize(rows, cols, src);
        }
        int[] out = new int[Math.toIntExact((long) rows * stride / 2)];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int bits = encode(dtype, src[r * cols + c]) & 0xffff;
                int idx = index16(r, c, stride);
                out[idx] |= (c % BLOCK) < BLOCK / 2 ? bits : bits << 16;
            }
        }
        return new PackedMatrix(dtype, rows, cols, null, out, null, null);
    }

    /** Per-row symmetric int8: {@code scale = max|w| / 127}, {@code q = rint(w / scale)}. */
    private static PackedMatrix quantize(int rows, int cols, float[] src) {
        int stride = strideFor(cols);
        byte[] out = new byte[Math.toIntExact(int8DataLength(rows, cols))];
        float[] scales = new float[rows];
        for (int r = 0; r < rows; r++) {
            float max = 0;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, Math.abs(src[r * cols + c]));
            }
            float scale = max / INT8_MAX;
            scales[r] = scale;
            for (int c = 0; c < cols; c++) {
                int q = scale == 0 ? 0 : (int) Math.rint(src[r * cols + c] / scale);
                q = Math.max(-INT8_MAX, Math.min(INT8_MAX, q));
                out[r * stride + c] = (byte) q;
            }
        }
        return new PackedMatrix(DType.INT8, rows, cols, null, null, out, scales);
    }

    private static int index16(int r, int c, int stride) {
        int blk = c / BLOCK;
        int within = c % BLOCK;
        return (r * stride) / 2 + blk * (BLOCK / 2) + (within % (BLOCK / 2));
    }

    private static short encode(DType dtype, float v) {
        return dtype == DType.BF16 ? HalfFloats.floatToBf16(v) : HalfFloats.fromFloat(v);
    }

    /** One element as fp32 (slow; for embeddings lookups and tests). */
    public float get(int r, int c) {
        if (dtype == DType.FP32) {
            return f32[r * stride + c];
        }
        if (dtype == DType.INT8) {
            return scales[r] * q[r * stride + c];
        }
        int word = packed[index16(r, c, stride)];
        short bits = (short) ((c % BLOCK) < BLOCK / 2 ? word : word >>> 16);
        return dtype == DType.BF16 ? HalfFloats.bf16ToFloat(bits) : HalfFloats.toFloat(bits);
    }

    /** Copies row {@code r} as fp32 into {@code dst[at .. at+cols)}. */
    public void row(int r, float[] dst, int at) {
        if (dtype == DType.FP32) {
            System.arraycopy(f32, r * stride, dst, at, cols);
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

    /** fp32 storage, or null. Package-private: kernels only. */
    float[] f32() {
        return f32;
    }

    /** Packed 16-bit storage, or null. */
    int[] packed() {
        return packed;
    }

    /** int8 rows, or null. */
    byte[] int8() {
        return q;
    }

    /** int8 per-row scales, or null. */
    float[] scales() {
        return scales;
    }

    /**
     * What an artifact stores: the float or int array; for int8 the rows' bytes four per
     * little-endian int (so the file holds them in order) followed by the scales' bits.
     */
    public Object storage() {
        if (f32 != null) {
            return f32;
        }
        if (q == null) {
            return packed;
        }
        int words = q.length / 4;
        int[] all = new int[words + rows];
        for (int j = 0; j < words; j++) {
            all[j] = (q[4 * j] & 0xff) | (q[4 * j + 1] & 0xff) << 8 | (q[4 * j + 2] & 0xff) << 16 | q[4 * j + 3] << 24;
        }
        for (int r = 0; r < rows; r++) {
            all[words + r] = Float.floatToRawIntBits(scales[r]);
        }
        return all;
    }

    public long bytes() {
        return f32 != null ? 4L * f32.length : q != null ? q.length + 4L * scales.length : 4L * packed.length;
    }
}
