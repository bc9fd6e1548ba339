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

    static void attendHead(float[] q, int qo, float[] k, int kb, float[] v, int vb, int hd, int first, int last,
                           float scale, float softcap, float[] s, float[] out, int oo) {
        int block = Kernels.KEY_BLOCK;
        int p0 = first - first % block;
        int p1 = (last / block + 1) * block;
        for (int p = p0; p < p1; p += L) {
            // Lanes p..p+L-1 of one key block; four independent chains over the head dimensions hide FMA latency.
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
            a0.add(a1).add(a2.add(a3)).mul(scale).intoArray(s, p);
        }
        float inv = softmax(s, first, last, p0, p1, softcap);
        int d = 0;
        for (; d + 4 * L <= hd; d += 4 * L) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int p = first; p <= last; p++) {
                FloatVector w = FloatVector.broadcast(F, s[p]);
                int at = vb + p * hd + d;
                a0 = FloatVector.fromArray(F, v, at).fma(w, a0);
                a1 = FloatVector.fromArray(F, v, at + L).fma(w, a1);
                a2 = FloatVector.fromArray(F, v, at + 2 * L).fma(w, a2);
                a3 = FloatVector.fromArray(F, v, at + 3 * L).fma(w, a3);
            }
            a0.mul(inv).intoArray(out, oo + d);
            a1.mul(inv).intoArray(out, oo + d + L);
            a2.mul(inv).intoArray(out, oo + d + 2 * L);
            a3.mul(inv).intoArray(out, oo + d + 3 * L);
        }
        for (; d + L <= hd; d += L) {
            FloatVector a0 = FloatVector.zero(F);
            for (int p = first; p <= last; p++) {
                a0 = FloatVector.fromArray(F, v, vb + p * hd + d).fma(FloatVector.broadcast(F, s[p]), a0);
            }
            a0.mul(inv).intoArray(out, oo + d);
        }
        for (; d < hd; d++) {
            float a = 0;
            for (int p = first; p <= last; p++) {
                a += s[p] * v[vb + p * hd + d];
            }
            out[oo + d] = a * inv;
        }
    }

    /**
     * {@link #attendHead} over the 16-bit cache of {@link Kernels#attendHead16}: an int of the key cache holds
     * dimensions 2j and 2j + 1 of L positions' keys, widened by a shift and a mask (as bf16 weights are); a
     * value group of 32 dimensions is 16 ints, its two halves 16 consecutive dimensions each. Each FMA's receiver
     * is a broadcast (a vector of known class): with the widened vector as receiver, JDK 17's C2 lost its class
     * and ran the FMAs as objects (JFR allocation samples, steady state).
     */
    static void attendHead16(float[] q, int qo, int[] k, int kb, int[] v, int vb, int hd, int first, int last,
                             float scale, float softcap, float[] s, float[] out, int oo) {
        int block = Kernels.KEY_BLOCK;
        int pairs = (hd + 1) / 2;
        int p0 = first - first % block;
        int p1 = (last / block + 1) * block;
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
            a0.add(a1).mul(scale).intoArray(s, p);
        }
        float inv = softmax(s, first, last, p0, p1, softcap);
        int n = Kernels.valueInts(hd);
        int g = 0;
        for (; 32 * g + 32 <= hd; g++) {
            for (int h = 0; h < 16; h += L) {
                FloatVector a0 = FloatVector.zero(F), a1 = a0;
                for (int p = first; p <= last; p++) {
                    FloatVector w = FloatVector.broadcast(F, s[p]);
                    IntVector x0 = IntVector.fromArray(I, v, vb + p * n + 16 * g + h);
                    a0 = w.fma(x0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats(), a0);
                    a1 = w.fma(x0.and(0xFFFF0000).reinterpretAsFloats(), a1);
                }
                a0.mul(inv).intoArray(out, oo + 32 * g + h);
                a1.mul(inv).intoArray(out, oo + 32 * g + 16 + h);
            }
        }
        for (int d = 32 * g; d < hd; d++) {
            float a = 0;
            for (int p = first; p <= last; p++) {
                a += s[p] * Kernels.value16(v, vb + p * n, d);
            }
            out[oo + d] = a * inv;
        }
    }

    /**
     * Scores {@code s[p0..p1)} (lanes of whole key blocks) to softmax weights over {@code [first, last]}, soft-capped
     * first when {@code softcap > 0}; lanes outside take no weight. Returns 1 / (sum of the weights), which the
     * caller applies once to its weighted sums.
     */
    private static float softmax(float[] s, int first, int last, int p0, int p1, float softcap) {
        if (softcap > 0) {
            for (int p = first; p <= last; p++) {
                s[p] = (float) (softcap * Kernels.tanh(s[p] / softcap));
            }
        }
        // Lanes outside [first, last] (before a sliding window, after the query) take no weight.
        for (int p = p0; p < first; p++) {
            s[p] = Float.NEGATIVE_INFINITY;
        }
        for (int p = last + 1; p < p1; p++) {
            s[p] = Float.NEGATIVE_INFINITY;
        }
        FloatVector mv = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (int p = p0; p < p1; p += L) {
            mv = FloatVector.fromArray(F, s, p).max(mv); // a receiver of known class, even in an OSR compile
        }
        float max = mv.reduceLanes(VectorOperators.MAX);
        VectorExp.expShifted(s, p0, p1, max);
        double sum = 0;
        for (int p = first; p <= last; p++) {
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
