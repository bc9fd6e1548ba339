package io.jneuron.cpu.encoder;

import io.jneuron.cpu.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Bidirectional self-attention of a static batch as two small matrix products per (sequence, head), over the
 * sequence's real tokens only (the mask's ones, wherever they are): {@code S = Q K^T / sqrt(d)} with K
 * transposed into a {@code [d][n]} scratch so each score vector is a run of broadcast FMAs, a vectorised
 * softmax per row, then {@code ctx = P V}. Rows of padding tokens get a zero context (their outputs are never
 * read). Vector API only; see {@link EncoderGemm}.
 */
final class EncoderAttention {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    private EncoderAttention() {
    }

    /**
     * @param qkv  {@code [tokens][3h]}: q, k, v of every head side by side
     * @param real per sequence, the positions of its real tokens
     * @param ctx  {@code [tokens][hs]}, written for every head of every token
     */
    static void run(float[] qkv, int h, int heads, int headDim, int seq, int[][] real, float[] ctx, int hs,
                    Parallel par) {
        int batch = real.length;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        int pad = (seq + L - 1) / L * L;
        par.forRange(batch * heads, 1, (long) seq * seq * headDim * 2, (from, to) -> {
            float[] kt = new float[headDim * pad];
            float[] s = new float[pad];
            for (int bh = from; bh < to; bh++) {
                head(qkv, h, headDim, seq, bh / heads, bh % heads, real[bh / heads], scale, ctx, hs, kt, s);
            }
        });
    }

    private static void head(float[] qkv, int h, int hd, int seq, int b, int head, int[] idx, float scale,
                             float[] ctx, int hs, float[] kt, float[] s) {
        int n = idx.length;
        int np = (n + L - 1) / L * L;
        int row = 3 * h;
        int base = b * seq;
        int qOff = head * hd;
        int kOff = h + qOff;
        int vOff = 2 * h + qOff;
        // Zero context for the padding rows; real rows are overwritten below.
        for (int t = 0; t < seq; t++) {
            java.util.Arrays.fill(ctx, (base + t) * hs + qOff, (base + t) * hs + qOff + hd, 0f);
        }
        if (n == 0) {
            return;
        }
        for (int j = 0; j < np; j++) {
            int ko = j < n ? (base + idx[j]) * row + kOff : -1;
            for (int d = 0; d < hd; d++) {
                kt[d * np + j] = ko < 0 ? 0f : qkv[ko + d];
            }
        }
        for (int i = 0; i < n; i++) {
            int qo = (base + idx[i]) * row + qOff;
            FloatVector max = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
            for (int jc = 0; jc < np; jc += L) {
                FloatVector acc = FloatVector.zero(F);
                for (int d = 0; d < hd; d++) {
                    acc = FloatVector.fromArray(F, kt, d * np + jc).fma(FloatVector.broadcast(F, qkv[qo + d]), acc);
                }
                acc = acc.mul(scale);
                if (jc + L > n) { // lanes past the last real key take no weight
                    acc = acc.blend(Float.NEGATIVE_INFINITY, F.indexInRange(jc, n).not());
                }
                acc.intoArray(s, jc);
                max = max.max(acc);
            }
            float m = max.reduceLanes(VectorOperators.MAX);
            FloatVector sum = FloatVector.zero(F);
            for (int jc = 0; jc < np; jc += L) {
                FloatVector e = FloatVector.fromArray(F, s, jc).sub(m).lanewise(VectorOperators.EXP);
                e.intoArray(s, jc);
                sum = sum.add(e);
            }
            float inv = 1f / sum.reduceLanes(VectorOperators.ADD);
            int co = (base + idx[i]) * hs + qOff;
            int d = 0;
            for (; d + L <= hd; d += L) {
                FloatVector acc = FloatVector.zero(F);
                for (int j = 0; j < n; j++) {
                    acc = FloatVector.fromArray(F, qkv, (base + idx[j]) * row + vOff + d)
                            .fma(FloatVector.broadcast(F, s[j]), acc);
                }
                acc.mul(inv).intoArray(ctx, co + d);
            }
            for (; d < hd; d++) {
                float acc = 0;
                for (int j = 0; j < n; j++) {
                    acc += s[j] * qkv[(base + idx[j]) * row + vOff + d];
                }
                ctx[co + d] = acc * inv;
            }
        }
    }
}
