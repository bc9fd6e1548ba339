package io.jneuron.cpu.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.nio.ByteBuffer;

/**
 * int8 weight-only products on the Vector API (rows as plain bytes, one fp32 scale per row; see
 * {@link PackedMatrix}). Decode reads a quarter of fp32's bytes: L bytes are loaded and widened to L
 * floats by one sign-extending conversion (vpmovsxbd + vcvtdq2ps), then fused into the dot product;
 * the row's scale is applied once to the sum. Prefill widens 4 rows into fp32 scratch and reuses the
 * fp32 4x4 kernel, so the conversion is paid once per row, not per token.
 */
final class Int8Kernels {
    private static final VectorSpecies<Float> F = VectorKernels.F;
    private static final int L = F.length();
    /** L bytes: the byte species whose lane count matches the float species. */
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(8 * L));
    private static final int UNROLL = 2 * L;

    private Int8Kernels() {
    }

    /** True when L bytes form a real vector shape (64 bits or more) and the stride is a multiple of 2L. */
    static boolean usable() {
        return L >= 8 && PackedMatrix.BLOCK % UNROLL == 0;
    }

    /** L bytes at {@code w[at..]}, as L floats. */
    private static FloatVector widen(byte[] w, int at) {
        return (FloatVector) ByteVector.fromArray(B, w, at).convertShape(VectorOperators.B2F, F, 0);
    }

    /**
     * Rows {@code r0..r1-1}; the chunk {@code w} starts at matrix row {@code first}. Each block of 4 rows
     * is bulk-copied into this thread's byte scratch first and read from there (see {@link Scratch}), but for
     * long rows in decode on JDK 20+, read from {@code view}, the chunk as vector loads read it (see
     * {@link #DIRECT_LONG_ROWS}).
     */
    static void rows(ByteBuffer w, Object view, int first, float[] scales, int stride, float[] x, int xs, int done,
                     int tokens, float[] out, int os, int r0, int r1) {
        if (DIRECT_LONG_ROWS && view != null && tokens == 1 && stride >= DIRECT_MIN_BYTES) {
            int r = r0;
            for (; r + 4 <= r1; r += 4) {
                block4x1Direct(view, (long) (r - first) * stride, scales, stride, r, x, out);
            }
            r0 = r;
        }
        byte[] rows = Scratch.bytes(4 * stride);
        float[] wide = tokens >= 4 ? Scratch.wide(4 * stride) : null;
        int covered = PrefillKernels.covered(r0, r1);
        int r = done == tokens ? covered : r0;
        for (; r + 4 <= r1; r += 4) {
            w.get((r - first) * stride, rows, 0, 4 * stride);
            int t = PrefillKernels.from(done, r, covered);
            if (wide != null) {
                widenRows(rows, scales, stride, r, 4, wide);
                for (; t + 4 <= tokens; t += 4) {
                    VectorKernels.f32Block4x4(wide, stride, 0, r, x, xs, t, out, os);
                }
            }
            for (; t < tokens; t++) {
                block4x1(rows, scales, stride, r, x, t * xs, out, t * os);
            }
        }
        for (; r < r1; r++) {
            w.get((r - first) * stride, rows, 0, stride);
            for (int t = 0; t < tokens; t++) {
                FloatVector acc = FloatVector.zero(F);
                for (int i = 0; i < stride; i += L) {
                    acc = widen(rows, i).fma(FloatVector.fromArray(F, x, t * xs + i), acc);
                }
                out[t * os + r] = acc.reduceLanes(VectorOperators.ADD) * scales[r];
            }
        }
    }

    /** The prefill tiles over int8 rows (see {@code VectorKernels.prefillF32}, {@link #rows}). */
    static int prefill(ByteBuffer w, int first, float[] scales, int stride, float[] xT, int tokens, float[] out,
                       int os, int r0, int r1) {
        return PrefillKernels.rows((r, n, dst) -> {
            byte[] bytes = Scratch.bytes(n * stride);
            w.get((r - first) * stride, bytes, 0, n * stride);
            widenRows(bytes, scales, stride, r, n, dst);
        }, stride, xT, tokens, out, os, r0, r1);
    }

    /** Rows 0..3 of {@code w} (matrix rows r..r+3) against one token, two accumulators per row (8 FMA chains). */
    private static void block4x1(byte[] w, float[] scales, int stride, int r, float[] x, int xo, float[] out,
                                 int oo) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        int w1 = stride, w2 = w1 + stride, w3 = w2 + stride;
        for (int i = 0; i < stride; i += UNROLL) {
            FloatVector x0 = FloatVector.fromArray(F, x, xo + i);
            FloatVector x1 = FloatVector.fromArray(F, x, xo + i + L);
            a0 = widen(w, i).fma(x0, a0);
            a1 = widen(w, w1 + i).fma(x0, a1);
            a2 = widen(w, w2 + i).fma(x0, a2);
            a3 = widen(w, w3 + i).fma(x0, a3);
            b0 = widen(w, i + L).fma(x1, b0);
            b1 = widen(w, w1 + i + L).fma(x1, b1);
            b2 = widen(w, w2 + i + L).fma(x1, b2);
            b3 = widen(w, w3 + i + L).fma(x1, b3);
        }
        out[oo + r] = a0.add(b0).reduceLanes(VectorOperators.ADD) * scales[r];
        out[oo + r + 1] = a1.add(b1).reduceLanes(VectorOperators.ADD) * scales[r + 1];
        out[oo + r + 2] = a2.add(b2).reduceLanes(VectorOperators.ADD) * scales[r + 2];
        out[oo + r + 3] = a3.add(b3).reduceLanes(VectorOperators.ADD) * scales[r + 3];
    }

    /**
     * Decode over rows of 2 KB or more (a Llama's down projection) loads them straight from the segment on JDK 20+:
     * with the 4-row block's 8 KB copy that shape read 31-38 GB/s against 37-45 for 768-byte rows, loaded directly
     * 34-43 (Temurin 25, a per-shape bench, 3 runs); shorter rows ran slower that way, and JDK 17's buffer loads
     * carry per-load checks (see {@link Scratch}); its address loads (see {@link VectorLoads}) ran whole generations
     * at 0.93x (6 ABBA pairs of bench/ab-pairs.sh, every pair slower). Decode-shaped products 1.03x / 1.05x
     * (kernels-ab.sh, 11 rounds).
     */
    private static final boolean DIRECT_LONG_ROWS = VectorLoads.segments();
    private static final int DIRECT_MIN_BYTES = 2048;

    /** L bytes at byte offset {@code at} of a storage view, as L floats. */
    private static FloatVector widen(Object w, long at) {
        return (FloatVector) VectorLoads.bytes(B, w, at).convertShape(VectorOperators.B2F, F, 0);
    }

    /** {@link #block4x1} over four rows of a storage view from byte offset {@code wo} (matrix rows r..r+3), one token. */
    private static void block4x1Direct(Object w, long wo, float[] scales, int stride, int r, float[] x, float[] out) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        long w0 = wo, w1 = w0 + stride, w2 = w1 + stride, w3 = w2 + stride;
        for (int i = 0; i < stride; i += UNROLL) {
            FloatVector x0 = FloatVector.fromArray(F, x, i);
            FloatVector x1 = FloatVector.fromArray(F, x, i + L);
            a0 = widen(w, w0 + i).fma(x0, a0);
            a1 = widen(w, w1 + i).fma(x0, a1);
            a2 = widen(w, w2 + i).fma(x0, a2);
            a3 = widen(w, w3 + i).fma(x0, a3);
            b0 = widen(w, w0 + i + L).fma(x1, b0);
            b1 = widen(w, w1 + i + L).fma(x1, b1);
            b2 = widen(w, w2 + i + L).fma(x1, b2);
            b3 = widen(w, w3 + i + L).fma(x1, b3);
        }
        out[r] = a0.add(b0).reduceLanes(VectorOperators.ADD) * scales[r];
        out[r + 1] = a1.add(b1).reduceLanes(VectorOperators.ADD) * scales[r + 1];
        out[r + 2] = a2.add(b2).reduceLanes(VectorOperators.ADD) * scales[r + 2];
        out[r + 3] = a3.add(b3).reduceLanes(VectorOperators.ADD) * scales[r + 3];
    }

    /** Rows {@code 0..n-1} of {@code w} (matrix rows {@code r..}), scaled, as fp32 rows of {@code stride} in {@code dst}. */
    private static void widenRows(byte[] w, float[] scales, int stride, int r, int n, float[] dst) {
        for (int k = 0; k < n; k++) {
            float scale = scales[r + k];
            for (int i = 0; i < stride; i += L) {
                widen(w, k * stride + i).mul(scale).intoArray(dst, k * stride + i);
            }
        }
    }
}
