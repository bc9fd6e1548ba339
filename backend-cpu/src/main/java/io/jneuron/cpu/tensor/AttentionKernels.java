package io.jneuron.cpu.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * One query head against the KV cache, and the gated activations, on the Vector API. Keys are stored
 * transposed (per kv head, dimension-major: {@code kT[d * kStride + p]}), so a vector of scores for
 * {@code L} positions is {@code headDim} FMAs with the query element broadcast: no per-key reduction.
 * Values stay position-major and are summed into register accumulators, one row of values per position.
 * See {@link Kernels#attendHead} for the contract.
 */
final class AttentionKernels {
    private static final VectorSpecies<Float> F = VectorKernels.F;
    private static final int L = VectorKernels.L;
    /** Weight of GELU's tanh form written as a logistic: {@code v / (1 + e^(-K (v + 0.044715 v^3)))}. */
    private static final float GELU_K = 1.5957691216057308f;

    private AttentionKernels() {
    }

    static void attendHead(float[] q, int qo, float[] kT, int kb, int kStride, float[] v, int vb, int vStride,
                           int hd, int first, int last, float scale, float softcap, float[] s, float[] out, int oo) {
        int p0 = first - first % L;
        int p1 = (last / L + 1) * L; // within kStride: kStride is a multiple of L above every position
        for (int p = p0; p < p1; p += L) {
            // Four independent chains over the head dimensions, so FMA latency is hidden.
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            int d = 0;
            for (; d + 4 <= hd; d += 4) {
                int k = kb + d * kStride + p;
                a0 = FloatVector.fromArray(F, kT, k).fma(FloatVector.broadcast(F, q[qo + d]), a0);
                a1 = FloatVector.fromArray(F, kT, k + kStride).fma(FloatVector.broadcast(F, q[qo + d + 1]), a1);
                a2 = FloatVector.fromArray(F, kT, k + 2 * kStride).fma(FloatVector.broadcast(F, q[qo + d + 2]), a2);
                a3 = FloatVector.fromArray(F, kT, k + 3 * kStride).fma(FloatVector.broadcast(F, q[qo + d + 3]), a3);
            }
            for (; d < hd; d++) {
                a0 = FloatVector.fromArray(F, kT, kb + d * kStride + p).fma(FloatVector.broadcast(F, q[qo + d]), a0);
            }
            a0.add(a1).add(a2.add(a3)).mul(scale).intoArray(s, p);
        }
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
            mv = mv.max(FloatVector.fromArray(F, s, p));
        }
        float max = mv.reduceLanes(VectorOperators.MAX);
        FloatVector sum = FloatVector.zero(F);
        for (int p = p0; p < p1; p += L) {
            FloatVector e = VectorExp.exp(FloatVector.fromArray(F, s, p).sub(max));
            e.intoArray(s, p);
            sum = sum.add(e);
        }
        float inv = 1f / sum.reduceLanes(VectorOperators.ADD);
        int d = 0;
        for (; d + 4 * L <= hd; d += 4 * L) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int p = first; p <= last; p++) {
                FloatVector w = FloatVector.broadcast(F, s[p]);
                int at = vb + p * vStride + d;
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
                a0 = FloatVector.fromArray(F, v, vb + p * vStride + d).fma(FloatVector.broadcast(F, s[p]), a0);
            }
            a0.mul(inv).intoArray(out, oo + d);
        }
        for (; d < hd; d++) {
            float a = 0;
            for (int p = first; p <= last; p++) {
                a += s[p] * v[vb + p * vStride + d];
            }
            out[oo + d] = a * inv;
        }
    }

    /** See {@link Kernels#activate}. */
    static void activate(boolean gelu, float[] g, int go, float[] up, int uo, float[] out, int oo, int n) {
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector v = FloatVector.fromArray(F, g, go + i);
            FloatVector z = gelu ? v.mul(v).mul(v).mul(0.044715f).add(v).mul(-GELU_K) : v.neg();
            FloatVector a = v.div(VectorExp.exp(z).add(1f));
            if (up != null) {
                a = a.mul(FloatVector.fromArray(F, up, uo + i));
            }
            a.intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = ScalarKernels.activation(gelu, g[go + i]) * (up != null ? up[uo + i] : 1f);
        }
    }
}
