package io.jneuron.cpu.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * One query head against the KV cache, and the gated activations, on the Vector API (exponentials by
 * {@link VectorExp}). Keys are stored in blocks of {@link Kernels#KEY_BLOCK} positions, transposed inside a
 * block, so a vector of scores for {@code L} positions is {@code headDim} FMAs with the query element broadcast
 * (no per-key reduction) and one head's keys are read as one contiguous run. Values are position-major per head
 * and are summed into register accumulators, one row of values per position. See {@link Kernels#attendHead}.
 */
final class AttentionKernels {
    private static final VectorSpecies<Float> F = VectorKernels.F;
    private static final VectorSpecies<Integer> I = VectorKernels.I;
    private static final int L = VectorKernels.L;
    /** 2 sqrt(2/pi): GELU's tanh form as a logistic. */
    private static final float GELU_K = 1.5957691216057308f;

    private AttentionKernels() {
    }

    /**
     * Scores, softmax and weighted values are three methods, each compiled on its own (bin/jneuron and the kernelspec
     * keep C2 from inlining this class's methods): inlined into one, C2 took 30 MB of arena memory to compile it,
     * which stays in the process's resident memory for seconds after. See {@link Kernels#attendHeads} for the heads
     * {@code h0..h0+n-1}: each phase goes chunk by chunk over all of them, so one thread reads the keys (then the
     * values) of its heads in a chunk as one run (consecutive kv heads are adjacent in a chunk), not a 16 KB run a
     * head and chunk, each of which the prefetchers start cold (decode's attention 20-30% faster, bench/README.md).
     * Head j's scores are {@code s[j * p1 ..]}, its 1 / sum {@code s[n * p1 + j]}.
     */
    static void attendHeads(float[] q, int qo, float[][] k, int kb, float[][] v, int vb, int chunk, int hd, int first,
                            int last, float scale, float softcap, float[] s, float[] out, int oo, int h0, int n,
                            int group) {
        int block = Kernels.KEY_BLOCK;
        int p0 = first - first % block;
        int p1 = (last / block + 1) * block;
        int keys = Kernels.keyCacheLength(chunk, hd);
        for (int c0 = p0 - p0 % chunk; c0 < p1; c0 += chunk) {
            int from = Math.max(p0, c0) - c0;
            int to = Math.min(p1, c0 + chunk) - c0;
            for (int j = 0; j < n; j++) {
                scoresChunk(q, qo + j * hd, k[c0 / chunk], kb + (h0 + j) / group * keys, hd, from, to, scale, s,
                        j * p1 + c0);
            }
        }
        for (int j = 0; j < n; j++) {
            s[n * p1 + j] = softmax(s, j * p1, first, last, p0, p1, softcap);
        }
        for (int c0 = first - first % chunk; c0 <= last; c0 += chunk) {
            int a = Math.max(first, c0);
            int b = Math.min(last, c0 + chunk - 1);
            for (int j = 0; j < n; j++) {
                weighChunk(v[c0 / chunk], vb + (h0 + j) / group * chunk * hd - c0 * hd, hd, a, b, s, j * p1,
                        s[n * p1 + j], out, oo + j * hd, c0 > first);
            }
        }
    }

    /**
     * Scores of one chunk's positions {@code c0 + p0..c0 + p1} (chunk-relative whole key blocks) into
     * {@code s[so + p]}: lanes p..p+L-1 of one key block, four independent chains over the head dimensions to hide
     * FMA latency. A loop of its own per chunk, as in {@link #weighChunk}.
     */
    private static void scoresChunk(float[] q, int qo, float[] k, int kb, int hd, int p0, int p1, float scale,
                                    float[] s, int so) {
        int block = Kernels.KEY_BLOCK;
        for (int p = p0; p < p1; p += L) {
            int base = kb + p / block * hd * block + p % block;
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            int d = 0;
            for (; d + 4 <= hd; d += 4) {
                int at = base + d * block;
                a0 = FloatVector.fromArray(F, k, at).fma(FloatVector.broadcast(F, q[qo + d]), a0);
                a1 = FloatVector.fromArray(F, k, at + block).fma(FloatVector.broadcast(F, q[qo + d + 1]), a1);
                a2 = FloatVector.fromArray(F, k, at + 2 * block).fma(FloatVector.broadcast(F, q[qo + d + 2]), a2);
                a3 = FloatVector.fromArray(F, k, at + 3 * block).fma(FloatVector.broadcast(F, q[qo + d + 3]), a3);
            }
            for (; d < hd; d++) {
                a0 = FloatVector.fromArray(F, k, base + d * block).fma(FloatVector.broadcast(F, q[qo + d]), a0);
            }
            a0.add(a1).add(a2.add(a3)).mul(scale).intoArray(s, so + p);
        }
    }

    /**
     * {@code out[oo..oo+hd) = inv * sum of s[so + p] v_p} over one chunk's positions {@code first..last} (position p's
     * values at {@code v[vb + p * hd]}), into {@code out} or, with {@code add}, onto it. Accumulators live inside one
     * chunk: carried across chunks (a loop around the positions' loop), JDK 17's C2 lost their class and ran the FMAs
     * as objects.
     */
    private static void weighChunk(float[] v, int vb, int hd, int first, int last, float[] s, int so, float inv,
                                   float[] out, int oo, boolean add) {
        int d = 0;
        for (; d + 4 * L <= hd; d += 4 * L) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int p = first; p <= last; p++) {
                FloatVector w = FloatVector.broadcast(F, s[so + p]);
                int at = vb + p * hd + d;
                a0 = FloatVector.fromArray(F, v, at).fma(w, a0);
                a1 = FloatVector.fromArray(F, v, at + L).fma(w, a1);
                a2 = FloatVector.fromArray(F, v, at + 2 * L).fma(w, a2);
                a3 = FloatVector.fromArray(F, v, at + 3 * L).fma(w, a3);
            }
            int o = oo + d;
            if (add) {
                a0.mul(inv).add(FloatVector.fromArray(F, out, o)).intoArray(out, o);
                a1.mul(inv).add(FloatVector.fromArray(F, out, o + L)).intoArray(out, o + L);
                a2.mul(inv).add(FloatVector.fromArray(F, out, o + 2 * L)).intoArray(out, o + 2 * L);
                a3.mul(inv).add(FloatVector.fromArray(F, out, o + 3 * L)).intoArray(out, o + 3 * L);
            } else {
                a0.mul(inv).intoArray(out, o);
                a1.mul(inv).intoArray(out, o + L);
                a2.mul(inv).intoArray(out, o + 2 * L);
                a3.mul(inv).intoArray(out, o + 3 * L);
            }
        }
        for (; d + L <= hd; d += L) {
            FloatVector a0 = FloatVector.zero(F);
            for (int p = first; p <= last; p++) {
                a0 = FloatVector.fromArray(F, v, vb + p * hd + d).fma(FloatVector.broadcast(F, s[so + p]), a0);
            }
            if (add) {
                a0.mul(inv).add(FloatVector.fromArray(F, out, oo + d)).intoArray(out, oo + d);
            } else {
                a0.mul(inv).intoArray(out, oo + d);
            }
        }
        for (; d < hd; d++) {
            float a = 0;
            for (int p = first; p <= last; p++) {
                a += s[so + p] * v[vb + p * hd + d];
            }
            out[oo + d] = a * inv + (add ? out[oo + d] : 0f);
        }
    }

    /**
     * {@link #attendHeads} over the 16-bit cache of {@link Kernels#attendHeads16}: an int of the key cache holds
     * dimensions 2j and 2j + 1 of L positions' keys, widened by a shift and a mask (as bf16 weights are); a
     * value group of 32 dimensions is 16 ints, its two halves 16 consecutive dimensions each. Each FMA's receiver
     * is a broadcast (a vector of known class): with the widened vector as receiver, JDK 17's C2 lost its class
     * and ran the FMAs as objects (JFR allocation samples, steady state).
     */
    static void attendHeads16(float[] q, int qo, int[][] k, int kb, int[][] v, int vb, int chunk, int hd, int first,
                              int last, float scale, float softcap, float[] s, float[] out, int oo, int h0, int n,
                              int group) {
        int block = Kernels.KEY_BLOCK;
        int p0 = first - first % block;
        int p1 = (last / block + 1) * block;
        int keys = Kernels.keyCacheInts(chunk, hd);
        int values = chunk * Kernels.valueInts(hd);
        for (int c0 = p0 - p0 % chunk; c0 < p1; c0 += chunk) {
            int from = Math.max(p0, c0) - c0;
            int to = Math.min(p1, c0 + chunk) - c0;
            for (int j = 0; j < n; j++) {
                scoresChunk16(q, qo + j * hd, k[c0 / chunk], kb + (h0 + j) / group * keys, hd, from, to, scale, s,
                        j * p1 + c0);
            }
        }
        for (int j = 0; j < n; j++) {
            s[n * p1 + j] = softmax(s, j * p1, first, last, p0, p1, softcap);
        }
        int ints = Kernels.valueInts(hd);
        for (int c0 = first - first % chunk; c0 <= last; c0 += chunk) {
            int a = Math.max(first, c0);
            int b = Math.min(last, c0 + chunk - 1);
            for (int j = 0; j < n; j++) {
                weighChunk16(v[c0 / chunk], vb + (h0 + j) / group * values - c0 * ints, hd, a, b, s, j * p1,
                        s[n * p1 + j], out, oo + j * hd, c0 > first);
            }
        }
    }

    /** {@link #scoresChunk} over the 16-bit cache. */
    private static void scoresChunk16(float[] q, int qo, int[] k, int kb, int hd, int p0, int p1, float scale,
                                      float[] s, int so) {
        int block = Kernels.KEY_BLOCK;
        int pairs = (hd + 1) / 2;
        for (int p = p0; p < p1; p += L) {
            int base = kb + p / block * pairs * block + p % block;
            // Two chains (a pair's low and high halves); the 16-bit widening leaves C2 no node budget for four.
            FloatVector a0 = FloatVector.zero(F), a1 = a0;
            int j = 0;
            for (; 2 * j + 2 <= hd; j++) {
                IntVector kv = IntVector.fromArray(I, k, base + j * block);
                a0 = FloatVector.broadcast(F, q[qo + 2 * j]).fma(kv.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats(), a0);
                a1 = FloatVector.broadcast(F, q[qo + 2 * j + 1]).fma(kv.and(0xFFFF0000).reinterpretAsFloats(), a1);
            }
            if (2 * j < hd) {
                IntVector kv = IntVector.fromArray(I, k, base + j * block);
                a0 = FloatVector.broadcast(F, q[qo + 2 * j]).fma(kv.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats(), a0);
            }
            a0.add(a1).mul(scale).intoArray(s, so + p);
        }
    }

    /** {@link #weighChunk} over the 16-bit cache: position p's values at {@code v[vb + p * valueInts(hd)]}. */
    private static void weighChunk16(int[] v, int vb, int hd, int first, int last, float[] s, int so, float inv,
                                     float[] out, int oo, boolean add) {
        int n = Kernels.valueInts(hd);
        int g = 0;
        for (; 32 * g + 32 <= hd; g++) {
            for (int h = 0; h < 16; h += L) {
                FloatVector a0 = FloatVector.zero(F), a1 = a0;
                for (int p = first; p <= last; p++) {
                    FloatVector w = FloatVector.broadcast(F, s[so + p]);
                    IntVector x0 = IntVector.fromArray(I, v, vb + p * n + 16 * g + h);
                    a0 = w.fma(x0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats(), a0);
                    a1 = w.fma(x0.and(0xFFFF0000).reinterpretAsFloats(), a1);
                }
                int o = oo + 32 * g + h;
                if (add) {
                    a0.mul(inv).add(FloatVector.fromArray(F, out, o)).intoArray(out, o);
                    a1.mul(inv).add(FloatVector.fromArray(F, out, o + 16)).intoArray(out, o + 16);
                } else {
                    a0.mul(inv).intoArray(out, o);
                    a1.mul(inv).intoArray(out, o + 16);
                }
            }
        }
        for (int d = 32 * g; d < hd; d++) {
            float a = 0;
            for (int p = first; p <= last; p++) {
                a += s[so + p] * Kernels.value16(v, vb + p * n, d);
            }
            out[oo + d] = a * inv + (add ? out[oo + d] : 0f);
        }
    }

    /**
     * Scores {@code s[so + p0..so + p1)} (lanes of whole key blocks) to softmax weights over {@code [first, last]}, soft-capped
     * first when {@code softcap > 0}; lanes outside take no weight. Returns 1 / (sum of the weights), which the
     * caller applies once to its weighted sums.
     */
    private static float softmax(float[] s, int so, int first, int last, int p0, int p1, float softcap) {
        if (softcap > 0) {
            for (int p = so + first; p <= so + last; p++) {
                s[p] = (float) (softcap * Kernels.tanh(s[p] / softcap));
            }
        }
        // Lanes outside [first, last] (before a sliding window, after the query) take no weight.
        for (int p = so + p0; p < so + first; p++) {
            s[p] = Float.NEGATIVE_INFINITY;
        }
        for (int p = so + last + 1; p < so + p1; p++) {
            s[p] = Float.NEGATIVE_INFINITY;
        }
        FloatVector mv = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (int p = so + p0; p < so + p1; p += L) {
            mv = FloatVector.fromArray(F, s, p).max(mv); // a receiver of known class, even in an OSR compile
        }
        float max = mv.reduceLanes(VectorOperators.MAX);
        VectorExp.expShifted(s, so + p0, so + p1, max);
        double sum = 0;
        for (int p = so + first; p <= so + last; p++) {
            sum += s[p];
        }
        return (float) (1 / sum);
    }

    /** See {@link Kernels#activate}: the exponent of each lane into {@code out}, {@link VectorExp} in place, then the ratio. */
    static void activate(boolean gelu, float[] g, int go, float[] up, int uo, float[] out, int oo, int n) {
        int whole = n / L * L;
        for (int i = 0; i < whole; i += L) {
            FloatVector v = FloatVector.fromArray(F, g, go + i);
            // SiLU v / (1 + e^-v); GELU's tanh form v / (1 + e^(-2u)), u = sqrt(2/pi) (v + 0.044715 v^3).
            (gelu ? v.mul(v).mul(v).mul(0.044715f).add(v).mul(-GELU_K) : v.neg()).intoArray(out, oo + i);
        }
        VectorExp.expShifted(out, oo, oo + whole, 0f);
        for (int i = 0; i < whole; i += L) {
            FloatVector a = FloatVector.fromArray(F, g, go + i).div(FloatVector.fromArray(F, out, oo + i).add(1f));
            if (up != null) {
                a = a.mul(FloatVector.fromArray(F, up, uo + i));
            }
            a.intoArray(out, oo + i);
        }
        for (int i = whole; i < n; i++) {
            out[oo + i] = ScalarKernels.activation(gelu, g[go + i]) * (up != null ? up[uo + i] : 1f);
        }
    }
}
