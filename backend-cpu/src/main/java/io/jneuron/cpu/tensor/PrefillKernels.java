package io.jneuron.cpu.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Prefill products without horizontal sums. The dot-product kernels end every (row, token) output with
 * a horizontal sum of a vector ({@code reduceLanes}), which C2 emits as an in-order chain of lane adds
 * and shuffles: for a 768-wide row that is a large share of the work. Here the activations of a
 * product are transposed once (token-minor: for each column {@code k}, {@link #BLOCK} tokens side by
 * side), each fp32 weight (already widened by the caller's 4-row scratch) is broadcast and multiplied
 * with {@code BLOCK} tokens at once, and an output comes out as a lane of a vector over tokens.
 */
final class PrefillKernels {
    private static final VectorSpecies<Float> F = VectorKernels.F;
    private static final int L = F.length();
    /** Tokens per transposed block: two vectors. */
    static final int BLOCK = 2 * L;
    private static final ThreadLocal<float[]> OUT = ThreadLocal.withInitial(() -> new float[4 * 2 * BLOCK]);

    private PrefillKernels() {
    }

    /**
     * The first {@code tokens / BLOCK} blocks of tokens of {@code x} transposed into this thread's
     * buffer, {@code xT[(b * stride + k) * BLOCK + j] = x[(b * BLOCK + j) * xs + k]}; null when there is
     * no full block. The buffer is reused by this thread's next call.
     */
    static float[] transpose(float[] x, int xs, int tokens, int stride) {
        int blocks = tokens / BLOCK;
        if (blocks == 0) {
            return null;
        }
        float[] xT = Scratch.transposed(blocks * stride * BLOCK);
        for (int b = 0; b < blocks; b++) {
            for (int j = 0; j < BLOCK; j++) {
                int src = (b * BLOCK + j) * xs;
                int dst = b * stride * BLOCK + j;
                for (int k = 0; k < stride; k++) {
                    xT[dst + k * BLOCK] = x[src + k];
                }
            }
        }
        return xT;
    }

    /**
     * fp32 rows {@code wr..wr+3} of {@code w} against every full token block of {@code xT} (from
     * {@link #transpose}), written to output rows {@code r..r+3}; returns the number of tokens done
     * (0 when {@code xT} is null), the caller's kernels take the rest.
     */
    static int rows4(float[] w, int stride, int wr, int r, float[] xT, int tokens, float[] out, int os) {
        if (xT == null) {
            return 0;
        }
        int blocks = tokens / BLOCK;
        int b = 0;
        for (; b + 2 <= blocks; b += 2) {
            block4x4(w, stride, wr, xT, b, out, os, r);
        }
        if (b < blocks) {
            block4x2(w, stride, wr, xT, b, out, os, r);
        }
        return blocks * BLOCK;
    }

    /** Four rows against token blocks b and b + 1: 16 accumulators, each weight broadcast once for 4 vectors. */
    private static void block4x4(float[] w, int stride, int wr, float[] xT, int b, float[] out, int os, int r) {
        FloatVector z = FloatVector.zero(F);
        FloatVector a00 = z, a01 = z, a02 = z, a03 = z, a10 = z, a11 = z, a12 = z, a13 = z;
        FloatVector a20 = z, a21 = z, a22 = z, a23 = z, a30 = z, a31 = z, a32 = z, a33 = z;
        int w0 = wr * stride, w1 = w0 + stride, w2 = w1 + stride, w3 = w2 + stride;
        int x0 = b * stride * BLOCK, x1 = x0 + stride * BLOCK;
        for (int k = 0; k < stride; k++) {
            int o = k * BLOCK;
            FloatVector v0 = FloatVector.fromArray(F, xT, x0 + o);
            FloatVector v1 = FloatVector.fromArray(F, xT, x0 + o + L);
            FloatVector v2 = FloatVector.fromArray(F, xT, x1 + o);
            FloatVector v3 = FloatVector.fromArray(F, xT, x1 + o + L);
            FloatVector m = FloatVector.broadcast(F, w[w0 + k]);
            a00 = m.fma(v0, a00); a01 = m.fma(v1, a01); a02 = m.fma(v2, a02); a03 = m.fma(v3, a03);
            m = FloatVector.broadcast(F, w[w1 + k]);
            a10 = m.fma(v0, a10); a11 = m.fma(v1, a11); a12 = m.fma(v2, a12); a13 = m.fma(v3, a13);
            m = FloatVector.broadcast(F, w[w2 + k]);
            a20 = m.fma(v0, a20); a21 = m.fma(v1, a21); a22 = m.fma(v2, a22); a23 = m.fma(v3, a23);
            m = FloatVector.broadcast(F, w[w3 + k]);
            a30 = m.fma(v0, a30); a31 = m.fma(v1, a31); a32 = m.fma(v2, a32); a33 = m.fma(v3, a33);
        }
        float[] t = OUT.get();
        a00.intoArray(t, 0); a01.intoArray(t, L); a02.intoArray(t, 2 * L); a03.intoArray(t, 3 * L);
        a10.intoArray(t, 4 * L); a11.intoArray(t, 5 * L); a12.intoArray(t, 6 * L); a13.intoArray(t, 7 * L);
        a20.intoArray(t, 8 * L); a21.intoArray(t, 9 * L); a22.intoArray(t, 10 * L); a23.intoArray(t, 11 * L);
        a30.intoArray(t, 12 * L); a31.intoArray(t, 13 * L); a32.intoArray(t, 14 * L); a33.intoArray(t, 15 * L);
        scatter(t, 2 * BLOCK, b * BLOCK, out, os, r);
    }

    /** Four rows against token block b (8 accumulators). */
    private static void block4x2(float[] w, int stride, int wr, float[] xT, int b, float[] out, int os, int r) {
        FloatVector z = FloatVector.zero(F);
        FloatVector a00 = z, a01 = z, a10 = z, a11 = z, a20 = z, a21 = z, a30 = z, a31 = z;
        int w0 = wr * stride, w1 = w0 + stride, w2 = w1 + stride, w3 = w2 + stride;
        int x0 = b * stride * BLOCK;
        for (int k = 0; k < stride; k++) {
            int o = x0 + k * BLOCK;
            FloatVector v0 = FloatVector.fromArray(F, xT, o);
            FloatVector v1 = FloatVector.fromArray(F, xT, o + L);
            FloatVector m = FloatVector.broadcast(F, w[w0 + k]);
            a00 = m.fma(v0, a00); a01 = m.fma(v1, a01);
            m = FloatVector.broadcast(F, w[w1 + k]);
            a10 = m.fma(v0, a10); a11 = m.fma(v1, a11);
            m = FloatVector.broadcast(F, w[w2 + k]);
            a20 = m.fma(v0, a20); a21 = m.fma(v1, a21);
            m = FloatVector.broadcast(F, w[w3 + k]);
            a30 = m.fma(v0, a30); a31 = m.fma(v1, a31);
        }
        float[] t = OUT.get();
        a00.intoArray(t, 0); a01.intoArray(t, L);
        a10.intoArray(t, 2 * L); a11.intoArray(t, 3 * L);
        a20.intoArray(t, 4 * L); a21.intoArray(t, 5 * L);
        a30.intoArray(t, 6 * L); a31.intoArray(t, 7 * L);
        scatter(t, BLOCK, b * BLOCK, out, os, r);
    }

    /** {@code t} holds 4 rows of {@code n} tokens each (row-major); writes them to tokens t0.. of rows r..r+3. */
    private static void scatter(float[] t, int n, int t0, float[] out, int os, int r) {
        for (int j = 0; j < n; j++) {
            int o = (t0 + j) * os + r;
            out[o] = t[j];
            out[o + 1] = t[n + j];
            out[o + 2] = t[2 * n + j];
            out[o + 3] = t[3 * n + j];
        }
    }
}
