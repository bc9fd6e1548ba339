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

    /**
     * Head sizes with and without whole vectors, windows, soft-caps, and queries late in a padded cache; caches of
     * one chunk and of several (a window starting in a later chunk too), read as the second head of each chunk.
     */
    @ParameterizedTest
    @CsvSource({"64,40,0,39,0,48", "64,40,17,39,0,16", "48,100,0,0,0,64", "20,33,5,31,0,16", "80,200,100,199,0,64",
            "128,64,0,63,30,32", "64,256,0,255,0,64", "64,256,130,255,0,64", "7,16,3,9,50,16"})
    void attendHeadMatchesADoubleReference(int hd, int seqLen, int first, int last, float softcap, int chunk) {
        SplittableRandom rnd = new SplittableRandom(hd * 1000L + seqLen + chunk);
        int padded = Kernels.keyCacheLength(seqLen, 1);
        int chunks = (padded + chunk - 1) / chunk;
        float[] keys = gaussian(rnd, seqLen * hd, 1); // position-major, the reference's layout
        float[] v = gaussian(rnd, seqLen * hd, 1);
        // Two heads a chunk, the second one attended; junk everywhere else must not leak in.
        int kb = Kernels.keyCacheLength(chunk, hd);
        int vb = chunk * hd;
        float[][] kc = new float[chunks][];
        float[][] vc = new float[chunks][];
        for (int c = 0; c < chunks; c++) {
            kc[c] = gaussian(rnd, 2 * kb, 1e6f);
            vc[c] = gaussian(rnd, 2 * vb, 1e6f);
        }
        for (int p = 0; p < seqLen; p++) {
            for (int d = 0; d < hd; d++) {
                kc[p / chunk][kb + Kernels.keyOffset(p % chunk, d, hd)] = keys[p * hd + d];
                vc[p / chunk][vb + p % chunk * hd + d] = v[p * hd + d];
            }
        }
        float[] q = gaussian(rnd, hd, 1);
        float scale = (float) (1 / Math.sqrt(hd));
        double[] expect = reference(q, keys, v, hd, first, last, scale, softcap);
        float[] vectorOut = new float[hd];
        float[] scalarOut = new float[hd];
        Kernels.attendHead(q, 0, kc, kb, vc, vb, chunk, hd, first, last, scale, softcap, vectorOut, 0);
        ScalarKernels.attendHead(q, 0, kc, kb, vc, vb, chunk, hd, first, last, scale, softcap, new float[padded],
                scalarOut, 0);
        for (int d = 0; d < hd; d++) {
            assertEquals(expect[d], vectorOut[d], 2e-6, "vector, dim " + d);
            assertEquals(expect[d], scalarOut[d], 2e-6, "scalar, dim " + d);
        }
    }

    /** The 16-bit cache: the same cases against double math on the bf16-rounded keys and values. */
    @ParameterizedTest
    @CsvSource({"64,40,0,39,0,48", "64,40,17,39,0,16", "48,100,0,0,0,64", "20,33,5,31,0,16", "80,200,100,199,0,64",
            "128,64,0,63,30,32", "64,256,0,255,0,64", "64,256,130,255,0,64", "7,16,3,9,50,16", "96,50,0,49,0,32",
            "33,20,0,19,0,16"})
    void attendHead16MatchesADoubleReferenceOnRoundedKeysAndValues(int hd, int seqLen, int first, int last,
                                                                   float softcap, int chunk) {
        SplittableRandom rnd = new SplittableRandom(hd * 1000L + seqLen + chunk + 1);
        float[] keys = gaussian(rnd, seqLen * hd, 1);
        float[] v = gaussian(rnd, seqLen * hd, 1);
        float[] q = gaussian(rnd, hd, 1);
        int n = Kernels.valueInts(hd);
        int padded = Kernels.keyCacheLength(seqLen, 1);
        int chunks = (padded + chunk - 1) / chunk;
        // Two heads a chunk, the second one attended.
        int kb = Kernels.keyCacheInts(chunk, hd);
        int vb = chunk * n;
        int[][] k16 = new int[chunks][2 * kb];
        int[][] v16 = new int[chunks][2 * vb];
        float[] junk = gaussian(rnd, 2 * hd, 1e6f); // past the last position, and the other head: must not leak in
        for (int p = 0; p < chunks * chunk; p++) {
            Kernels.storeKey16(junk, 0, hd, k16[p / chunk], 0, p % chunk);
            Kernels.storeValue16(junk, hd, hd, v16[p / chunk], p % chunk * n);
            Kernels.storeKey16(p < seqLen ? keys : junk, p < seqLen ? p * hd : 0, hd, k16[p / chunk], kb, p % chunk);
            Kernels.storeValue16(p <= last ? v : junk, p <= last ? p * hd : hd, hd, v16[p / chunk], vb + p % chunk * n);
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
        Kernels.attendHead16(q, 0, k16, kb, v16, vb, chunk, hd, first, last, scale, softcap, vectorOut, 2);
        ScalarKernels.attendHead16(q, 0, k16, kb, v16, vb, chunk, hd, first, last, scale, softcap,
                new float[Kernels.keyCacheLength(last + 1, 1)], scalarOut, 0);
        for (int d = 0; d < hd; d++) {
            assertEquals(expect[d], vectorOut[2 + d], 2e-6, "vector, dim " + d);
            assertEquals(expect[d], scalarOut[d], 2e-6, "scalar, dim " + d);
        }
    }

    /**
     * Several query heads of one slot at once ({@link Kernels#attendHeads}), grouped-query style: query heads
     * {@code h0..h0+n-1} over kv heads {@code (h0 + j) / group}, each against the double reference on its own kv
     * head's keys and values, in the fp32 and the 16-bit cache; the kv head before and after hold junk.
     */
    @ParameterizedTest
    @CsvSource({"64,150,0,149,0,64,0,12,1", "64,150,0,149,0,64,3,5,2", "48,90,40,89,0,32,1,6,3", "20,33,5,31,20,16,0,4,4",
            "64,64,0,0,0,64,2,2,1", "7,40,0,39,0,16,1,3,2"})
    void attendHeadsMatchesADoubleReferencePerHead(int hd, int seqLen, int first, int last, float softcap, int chunk,
                                                   int h0, int n, int group) {
        SplittableRandom rnd = new SplittableRandom(hd * 7919L + seqLen * 31L + h0 * 7 + n + group);
        int kvHeads = (h0 + n - 1) / group + 1;
        int padded = Kernels.keyCacheLength(seqLen, 1);
        int chunks = (padded + chunk - 1) / chunk;
        int kh = Kernels.keyCacheLength(chunk, hd);
        int ki = Kernels.keyCacheInts(chunk, hd);
        int vi = Kernels.valueInts(hd);
        float[][] keys = new float[kvHeads][];
        float[][] values = new float[kvHeads][];
        // kv head g's cache at slot (g + 1) of each chunk: slot 0 and slot kvHeads + 1 hold junk.
        float[][] kc = new float[chunks][];
        float[][] vc = new float[chunks][];
        int[][] k16 = new int[chunks][(kvHeads + 2) * ki];
        int[][] v16 = new int[chunks][(kvHeads + 2) * chunk * vi];
        for (int c = 0; c < chunks; c++) {
            kc[c] = gaussian(rnd, (kvHeads + 2) * kh, 1e6f);
            vc[c] = gaussian(rnd, (kvHeads + 2) * chunk * hd, 1e6f);
        }
        float[] junk = gaussian(rnd, hd, 1e6f);
        for (int g = -1; g <= kvHeads; g++) {
            boolean real = g >= 0 && g < kvHeads;
            if (real) {
                keys[g] = gaussian(rnd, seqLen * hd, 1);
                values[g] = gaussian(rnd, seqLen * hd, 1);
            }
            for (int p = 0; p < chunks * chunk; p++) {
                boolean in = real && p < seqLen;
                Kernels.storeKey16(in ? keys[g] : junk, in ? p * hd : 0, hd, k16[p / chunk], (g + 1) * ki, p % chunk);
                Kernels.storeValue16(in ? values[g] : junk, in ? p * hd : 0, hd, v16[p / chunk],
                        ((g + 1) * chunk + p % chunk) * vi);
                for (int d = 0; in && d < hd; d++) {
                    kc[p / chunk][(g + 1) * kh + Kernels.keyOffset(p % chunk, d, hd)] = keys[g][p * hd + d];
                    vc[p / chunk][((g + 1) * chunk + p % chunk) * hd + d] = values[g][p * hd + d];
                }
            }
        }
        float[] q = gaussian(rnd, (h0 + n) * hd, 1);
        float scale = (float) (1 / Math.sqrt(hd));
        float[] out = new float[(n + 1) * hd];
        float[] out16 = new float[(n + 1) * hd];
        Kernels.attendHeads(q, h0 * hd, kc, kh, vc, chunk * hd, chunk, hd, first, last, scale, softcap, out, hd, h0, n,
                group);
        Kernels.attendHeads16(q, h0 * hd, k16, ki, v16, chunk * vi, chunk, hd, first, last, scale, softcap, out16, hd,
                h0, n, group);
        for (int j = 0; j < n; j++) {
            int g = (h0 + j) / group;
            float[] qj = java.util.Arrays.copyOfRange(q, (h0 + j) * hd, (h0 + j + 1) * hd);
            double[] expect = reference(qj, keys[g], values[g], hd, first, last, scale, softcap);
            float[] kr = new float[keys[g].length];
            float[] vr = new float[values[g].length];
            for (int i = 0; i < kr.length; i++) {
                kr[i] = HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(keys[g][i]));
                vr[i] = HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(values[g][i]));
            }
            double[] expect16 = reference(qj, kr, vr, hd, first, last, scale, softcap);
            for (int d = 0; d < hd; d++) {
                assertEquals(expect[d], out[(j + 1) * hd + d], 2e-6, "head " + (h0 + j) + ", dim " + d);
                assertEquals(expect16[d], out16[(j + 1) * hd + d], 2e-6, "16-bit head " + (h0 + j) + ", dim " + d);
            }
        }
        for (int d = 0; d < hd; d++) {
            assertEquals(0f, out[d], "nothing written before the first head");
            assertEquals(0f, out16[d], "nothing written before the first head");
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
