package io.jneuron.cpu.tensor;

import io.jneuron.core.model.HalfFloats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The attention and activation kernels against double-precision math on position-major keys. */
class AttentionKernelsTest {
    @Test
    void vectorExpIsWithinTwoUlpOfMathExpAndClampsOutsideItsRange() {
        int n = 4096;
        float[] a = new float[n + 32];
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rnd.nextDouble() * 175.3 - 87.3);
        }
        float[] edges = {0f, -0f, 1e-30f, -1e-7f, 0.5f, -0.5f, 88f, -87.33f, 100f, -1000f, Float.NEGATIVE_INFINITY, 3f};
        System.arraycopy(edges, 0, a, n, edges.length);
        float[] in = a.clone();
        VectorExp.expShifted(a, 0, a.length, 1.5f);
        for (int i = 0; i < n + edges.length; i++) {
            double x = Math.max(-87.33654, Math.min(88, (double) (in[i] - 1.5f)));
            double exact = Math.exp(x);
            assertEquals(exact, a[i], 2 * Math.ulp((float) exact), "e^(" + in[i] + " - 1.5)");
        }
    }

    /** Head sizes with and without whole vectors, windows, soft-caps, and queries late in a padded cache. */
    @ParameterizedTest
    @CsvSource({"64,40,0,39,0", "64,40,17,39,0", "48,100,0,0,0", "20,33,5,31,0", "80,200,100,199,0",
            "128,64,0,63,30", "64,256,0,255,0", "7,16,3,9,50"})
    void attendHeadMatchesADoubleReference(int hd, int seqLen, int first, int last, float softcap) {
        SplittableRandom rnd = new SplittableRandom(hd * 1000L + seqLen);
        int block = Kernels.KEY_BLOCK;
        int padded = (seqLen + block - 1) / block * block;
        float[] keys = gaussian(rnd, seqLen * hd, 1); // position-major, the reference's layout
        float[] kT = gaussian(rnd, hd * padded, 1e6f); // junk past the last position must not leak in
        for (int p = 0; p < seqLen; p++) {
            for (int d = 0; d < hd; d++) {
                kT[(p / block * hd + d) * block + p % block] = keys[p * hd + d];
            }
        }
        float[] v = gaussian(rnd, seqLen * hd, 1);
        float[] q = gaussian(rnd, hd, 1);
        float scale = (float) (1 / Math.sqrt(hd));
        double[] expect = reference(q, keys, v, hd, first, last, scale, softcap);
        float[] vectorOut = new float[hd];
        float[] scalarOut = new float[hd];
        Kernels.attendHead(q, 0, kT, 0, v, 0, hd, first, last, scale, softcap, vectorOut, 0);
        ScalarKernels.attendHead(q, 0, kT, 0, v, 0, hd, first, last, scale, softcap, new float[padded], scalarOut, 0);
        for (int d = 0; d < hd; d++) {
            assertEquals(expect[d], vectorOut[d], 2e-6, "vector, dim " + d);
            assertEquals(expect[d], scalarOut[d], 2e-6, "scalar, dim " + d);
        }
    }

    /** The 16-bit cache: the same cases against double math on the bf16-rounded keys and values. */
    @ParameterizedTest
    @CsvSource({"64,40,0,39,0", "64,40,17,39,0", "48,100,0,0,0", "20,33,5,31,0", "80,200,100,199,0",
            "128,64,0,63,30", "64,256,0,255,0", "7,16,3,9,50", "96,50,0,49,0", "33,20,0,19,0"})
    void attendHead16MatchesADoubleReferenceOnRoundedKeysAndValues(int hd, int seqLen, int first, int last,
                                                                   float softcap) {
        SplittableRandom rnd = new SplittableRandom(hd * 1000L + seqLen + 1);
        float[] keys = gaussian(rnd, seqLen * hd, 1);
        float[] v = gaussian(rnd, seqLen * hd, 1);
        float[] q = gaussian(rnd, hd, 1);
        int n = Kernels.valueInts(hd);
        int[] k16 = new int[Kernels.keyCacheInts(seqLen, hd)];
        int[] v16 = new int[seqLen * n];
        float[] junk = gaussian(rnd, 2 * hd, 1e6f); // past the last position: must not leak in
        for (int p = 0; p < Kernels.keyCacheInts(seqLen, hd) / ((hd + 1) / 2); p++) {
            Kernels.storeKey16(p < seqLen ? keys : junk, p < seqLen ? p * hd : 0, hd, k16, 0, p);
        }
        for (int p = 0; p < seqLen; p++) {
            Kernels.storeValue16(p <= last ? v : junk, p <= last ? p * hd : hd, hd, v16, p * n);
        }
        float[] kr = new float[keys.length];
        float[] vr = new float[v.length];
        for (int i = 0; i < keys.length; i++) {
            kr[i] = HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(keys[i]));
            vr[i] = HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(v[i]));
            assertEquals(keys[i], kr[i], Math.abs(keys[i]) / 256, "bf16 keeps 8 significant bits");
        }
        float scale = (float) (1 / Math.sqrt(hd));
        double[] expect = reference(q, kr, vr, hd, first, last, scale, softcap);
        float[] vectorOut = new float[hd + 2];
        float[] scalarOut = new float[hd];
        Kernels.attendHead16(q, 0, k16, 0, v16, 0, hd, first, last, scale, softcap, vectorOut, 2);
        int padded = Kernels.keyCacheLength(last + 1, 1);
        ScalarKernels.attendHead16(q, 0, k16, 0, v16, 0, hd, first, last, scale, softcap, new float[padded], scalarOut,
                0);
        for (int d = 0; d < hd; d++) {
            assertEquals(expect[d], vectorOut[2 + d], 2e-6, "vector, dim " + d);
            assertEquals(expect[d], scalarOut[d], 2e-6, "scalar, dim " + d);
        }
    }

    @ParameterizedTest
    @CsvSource({"false,true,2048", "true,true,37", "true,false,100", "false,true,5"})
    void activationsMatchADoubleReference(boolean gelu, boolean gated, int n) {
        SplittableRandom rnd = new SplittableRandom(n);
        float[] g = gaussian(rnd, n + 3, 4);
        g[3] = -120f; // e^120 overflows fp32: the result must still be ~0
        float[] up = gated ? gaussian(rnd, n + 5, 1) : null;
        float[] out = new float[n + 2];
        Kernels.activate(gelu, g, 3, up, 5, out, 2, n);
        for (int i = 0; i < n; i++) {
            double x = g[3 + i];
            double act = gelu ? 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)))
                    : x / (1 + Math.exp(-x));
            double expect = act * (gated ? up[5 + i] : 1);
            assertEquals(expect, out[2 + i], 1e-6 * Math.max(1, Math.abs(expect)), "element " + i);
        }
    }

    private static double[] reference(float[] q, float[] k, float[] v, int hd, int first, int last, float scale,
                                       float softcap) {
        double[] s = new double[last + 1];
        double max = Double.NEGATIVE_INFINITY;
        for (int p = first; p <= last; p++) {
            double a = 0;
            for (int d = 0; d < hd; d++) {
                a += (double) q[d] * k[p * hd + d];
            }
            a *= scale;
            s[p] = softcap > 0 ? softcap * Math.tanh(a / softcap) : a;
            max = Math.max(max, s[p]);
        }
        double sum = 0;
        for (int p = first; p <= last; p++) {
            s[p] = Math.exp(s[p] - max);
            sum += s[p];
        }
        double[] out = new double[hd];
        for (int d = 0; d < hd; d++) {
            for (int p = first; p <= last; p++) {
                out[d] += s[p] / sum * v[p * hd + d];
            }
        }
        return out;
    }

    private static float[] gaussian(SplittableRandom rnd, int n, float sd) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rnd.nextGaussian() * sd);
        }
        return a;
    }
}
