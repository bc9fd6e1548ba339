package io.jneuron.cpu.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Prefill products without horizontal sums. The dot-product kernels end every (row, token) output with
 * a horizontal sum of a vector ({@code reduceLanes}), which C2 emits as an in-order chain of lane adds
 * and shuffles: for a 768-wide row that is a large share of the work. Here the activations of a
 * product are transposed once (token-minor: for each column {@code k}, one vector of tokens side by
 * side), each fp32 weight of a widened block of {@link #ROWS} rows is broadcast and multiplied with 2
 * vectors of tokens at once, and an output comes out as a lane of a vector over tokens.
 *
 * <p>The register tile is 8 rows x 2 token vectors: per column, 2 activation loads and 8 broadcasts feed
 * 16 FMAs. The kernel is close to the FMA ports' limit (a pure-FMA loop is ~1.2x faster per FMA), so
 * what counts is the overhead around it: the sums leave a tile through 8 straight-line stores per token
 * (a loop over the row count there cost ~5% of a product). 8 x 3 was slower (0.84x): C2 keeps all 8
 * broadcasts live, and 24 + 8 + 3 vectors exceed AVX-512's 32 registers, so accumulators spill; so does
 * unrolling the column loop by hand (0.5x). 8 x 2 against the earlier 4 x 4 (4 rows, 4 vectors) changes
 * the FMA count per load little; its gain is the wider output stores.
 */
final class PrefillKernels {
    private static final VectorSpecies<Float> F = VectorKernels.F;
    private static final int L = F.length();
    /** Tokens per register tile: two vectors. Products take tokens / BLOCK whole tiles here, the rest elsewhere. */
    static final int BLOCK = 2 * L;
    /** Weight rows per register tile. */
    static final int ROWS = 8;

    /** Writes rows {@code r..r+n-1} of a matrix, widened to fp32, to {@code dst[0..n * stride)}. */
    interface Rows {
        void load(int r, int n, float[] dst);
    }

    private PrefillKernels() {
    }

    /**
     * The first {@code tokens / BLOCK * BLOCK} tokens of {@code x} transposed into this thread's buffer in
     * blocks of one vector (L tokens), {@code xT[(b * stride + k) * L + j] = x[(b * L + j) * xs + k]}; null
     * when there is no whole tile. The buffer is reused by this thread's next call.
     */
    static float[] transpose(float[] x, int xs, int tokens, int stride) {
        int blocks = tokens / BLOCK * BLOCK / L;
        if (blocks == 0) {
            return null;
        }
        float[] xT = Scratch.transposed(blocks * stride * L);
        // Four tokens per pass: each column's four values land side by side (one line written per column,
        // not four); 1.4-1.7x faster than one token per pass (a 768- or 2048-wide 128-token product).
        for (int b = 0; b < blocks; b++) {
            for (int j = 0; j < L; j += 4) {
                int s0 = (b * L + j) * xs, s1 = s0 + xs, s2 = s1 + xs, s3 = s2 + xs;
                int dst = b * stride * L + j;
                for (int k = 0; k < stride; k++) {
                    int d = dst + k * L;
                    xT[d] = x[s0 + k];
                    xT[d + 1] = x[s1 + k];
                    xT[d + 2] = x[s2 + k];
                    xT[d + 3] = x[s3 + k];
                }
            }
        }
        return xT;
    }

    /**
     * Rows {@code r0..covered(r0, r1)-1} of the matrix, in groups of {@link #ROWS}, against every whole tile
     * of tokens in {@code xT} (from {@link #transpose}), each group widened by {@code rows} into this thread's
     * scratch. Returns the number of tokens done for those rows (0 when {@code xT} is null); the caller's
     * kernels take the rest, and every token of the rows past {@code covered} (see {@link #from}).
     */
    static int rows(Rows rows, int stride, float[] xT, int tokens, float[] out, int os, int r0, int r1) {
        if (xT == null) {
            return 0;
        }
        int tiles = tokens / BLOCK;
        float[] w = Scratch.wide(ROWS * stride);
        for (int r = r0; r + ROWS <= r1; r += ROWS) {
            rows.load(r, ROWS, w);
            for (int b = 0; b < 2 * tiles; b += 2) {
                tile8x2(w, stride, xT, b, out, os, r);
            }
        }
        return tiles * BLOCK;
    }

    /** The end of the rows {@link #rows} takes from {@code r0..r1-1}: whole groups of {@link #ROWS}. */
    static int covered(int r0, int r1) {
        return r0 + (r1 - r0) / ROWS * ROWS;
    }

    /**
     * The first token the caller's 4-row kernels take for rows {@code r..r+3}: {@code done} below
     * {@code covered}, 0 past it (a 4-row group left after whole groups of 8). Branch-free: the kernel
     * warm-up's 8-row products never reach a leftover group, and C2 would compile an untaken branch as a
     * trap whose deoptimisation would leave the caller's loops in slow code for a while.
     */
    static int from(int done, int r, int covered) {
        return done & ((r - covered) >> 31);
    }

    /** 8 rows against the vector blocks of tokens b and b + 1 (16 accumulators). */
    private static void tile8x2(float[] w, int stride, float[] xT, int b, float[] out, int os, int r) {
        FloatVector z = FloatVector.zero(F);
        FloatVector a00 = z, a01 = z, a10 = z, a11 = z, a20 = z, a21 = z, a30 = z, a31 = z;
        FloatVector a40 = z, a41 = z, a50 = z, a51 = z, a60 = z, a61 = z, a70 = z, a71 = z;
        int w1 = stride, w2 = w1 + stride, w3 = w2 + stride, w4 = w3 + stride, w5 = w4 + stride;
        int w6 = w5 + stride, w7 = w6 + stride;
        int x0 = b * stride * L, x1 = x0 + stride * L;
        for (int k = 0; k < stride; k++) {
            int o = k * L;
            FloatVector v0 = FloatVector.fromArray(F, xT, x0 + o);
            FloatVector v1 = FloatVector.fromArray(F, xT, x1 + o);
            FloatVector m = FloatVector.broadcast(F, w[k]);
            a00 = m.fma(v0, a00); a01 = m.fma(v1, a01);
            m = FloatVector.broadcast(F, w[w1 + k]);
            a10 = m.fma(v0, a10); a11 = m.fma(v1, a11);
            m = FloatVector.broadcast(F, w[w2 + k]);
            a20 = m.fma(v0, a20); a21 = m.fma(v1, a21);
            m = FloatVector.broadcast(F, w[w3 + k]);
            a30 = m.fma(v0, a30); a31 = m.fma(v1, a31);
            m = FloatVector.broadcast(F, w[w4 + k]);
            a40 = m.fma(v0, a40); a41 = m.fma(v1, a41);
            m = FloatVector.broadcast(F, w[w5 + k]);
            a50 = m.fma(v0, a50); a51 = m.fma(v1, a51);
            m = FloatVector.broadcast(F, w[w6 + k]);
            a60 = m.fma(v0, a60); a61 = m.fma(v1, a61);
            m = FloatVector.broadcast(F, w[w7 + k]);
            a70 = m.fma(v0, a70); a71 = m.fma(v1, a71);
        }
        int c = BLOCK;
        float[] t = Scratch.tile(ROWS * c);
        a00.intoArray(t, 0); a01.intoArray(t, L);
        a10.intoArray(t, c); a11.intoArray(t, c + L);
        a20.intoArray(t, 2 * c); a21.intoArray(t, 2 * c + L);
        a30.intoArray(t, 3 * c); a31.intoArray(t, 3 * c + L);
        a40.intoArray(t, 4 * c); a41.intoArray(t, 4 * c + L);
        a50.intoArray(t, 5 * c); a51.intoArray(t, 5 * c + L);
        a60.intoArray(t, 6 * c); a61.intoArray(t, 6 * c + L);
        a70.intoArray(t, 7 * c); a71.intoArray(t, 7 * c + L);
        scatter(t, c, b * L, out, os, r);
    }

    /** {@code t} holds 8 rows of {@code c} tokens each (row-major); writes them to tokens t0.. of rows r..r+7. */
    private static void scatter(float[] t, int c, int t0, float[] out, int os, int r) {
        for (int j = 0; j < c; j++) {
            int o = (t0 + j) * os + r;
            out[o] = t[j];
            out[o + 1] = t[c + j];
            out[o + 2] = t[2 * c + j];
            out[o + 3] = t[3 * c + j];
            out[o + 4] = t[4 * c + j];
            out[o + 5] = t[5 * c + j];
            out[o + 6] = t[6 * c + j];
            out[o + 7] = t[7 * c + j];
        }
    }
}
