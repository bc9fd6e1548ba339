package io.jneuron.cpu.tensor;

import io.jneuron.core.model.HalfFloats;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * Plain-Java kernels for JVMs started without {@code --add-modules jdk.incubator.vector} (for
 * example a stock Jupyter kernel that loads our jar). Same results to rounding, several times slower.
 */
final class ScalarKernels {
    private ScalarKernels() {
    }

    /** {@code w} holds rows from matrix row {@code first} on, little-endian (see {@link PackedMatrix}). */
    static void rowsF32(ByteBuffer w, int first, int stride, float[] x, int xs, int tokens, float[] out, int os,
                        int r0, int r1) {
        float[] row = new float[stride];
        FloatBuffer f = w.asFloatBuffer();
        for (int r = r0; r < r1; r++) {
            f.get((r - first) * stride, row, 0, stride);
            for (int t = 0; t < tokens; t++) {
                out[t * os + r] = dot(row, 0, x, t * xs, stride);
            }
        }
    }

    static void rowsPacked(ByteBuffer w, int first, int stride, boolean fp16, float[] x, int xs, int tokens,
                           float[] out, int os, int r0, int r1) {
        int half = PackedMatrix.BLOCK / 2;
        float[] row = new float[stride];
        for (int r = r0; r < r1; r++) {
            int wo = (r - first) * stride * 2;
            for (int b = 0; b < stride; b += PackedMatrix.BLOCK) {
                for (int j = 0; j < half; j++) {
                    int word = w.getInt(wo + 2 * b + 4 * j);
                    row[b + j] = widen((short) word, fp16);
                    row[b + half + j] = widen((short) (word >>> 16), fp16);
                }
            }
            for (int t = 0; t < tokens; t++) {
                out[t * os + r] = dot(row, 0, x, t * xs, stride);
            }
        }
    }

    static void rowsInt8(ByteBuffer w, int first, float[] scales, int stride, float[] x, int xs, int tokens,
                         float[] out, int os, int r0, int r1) {
        float[] row = new float[stride];
        for (int r = r0; r < r1; r++) {
            for (int c = 0; c < stride; c++) {
                row[c] = w.get((r - first) * stride + c);
            }
            for (int t = 0; t < tokens; t++) {
                out[t * os + r] = dot(row, 0, x, t * xs, stride) * scales[r];
            }
        }
    }

    private static float widen(short bits, boolean fp16) {
        return fp16 ? HalfFloats.toFloat(bits) : HalfFloats.bf16ToFloat(bits);
    }

    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        // Four partial sums, like the vector lanes, so rounding is of the same order.
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            s0 += a[ao + i] * b[bo + i];
            s1 += a[ao + i + 1] * b[bo + i + 1];
            s2 += a[ao + i + 2] * b[bo + i + 2];
            s3 += a[ao + i + 3] * b[bo + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[ao + i] * b[bo + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] += a * x[xo + i];
        }
    }

    /** Plain-Java {@link Kernels#attendHead}: the same layout and steps, scores and sums in double. */
    static void attendHead(float[] q, int qo, float[][] k, int kb, float[][] v, int vb, int chunk, int hd, int first,
                           int last, float scale, float softcap, float[] s, float[] out, int oo) {
        float max = Float.NEGATIVE_INFINITY;
        for (int p = first; p <= last; p++) {
            double a = 0;
            for (int d = 0; d < hd; d++) {
                a += q[qo + d] * k[p / chunk][kb + Kernels.keyOffset(p % chunk, d, hd)];
            }
            float sc = (float) a * scale;
            s[p] = softcap > 0 ? (float) (softcap * Kernels.tanh(sc / softcap)) : sc;
            max = Math.max(max, s[p]);
        }
        float inv = softmax(s, first, last, max);
        for (int d = 0; d < hd; d++) {
            double a = 0;
            for (int p = first; p <= last; p++) {
                a += s[p] * v[p / chunk][vb + p % chunk * hd + d];
            }
            out[oo + d] = (float) a * inv;
        }
    }

    /** Scores {@code s[first..last]} (largest {@code max}) to softmax weights; returns 1 / their sum. */
    private static float softmax(float[] s, int first, int last, float max) {
        double sum = 0;
        for (int p = first; p <= last; p++) {
            s[p] = (float) Math.exp(s[p] - max);
            sum += s[p];
        }
        return (float) (1 / sum);
    }

    /** Plain-Java {@link Kernels#attendHead16}: the same 16-bit layout and steps, scores and sums in double. */
    static void attendHead16(float[] q, int qo, int[][] k, int kb, int[][] v, int vb, int chunk, int hd, int first,
                             int last, float scale, float softcap, float[] s, float[] out, int oo) {
        float max = Float.NEGATIVE_INFINITY;
        for (int p = first; p <= last; p++) {
            double a = 0;
            for (int d = 0; d < hd; d++) {
                a += q[qo + d] * Kernels.half(k[p / chunk][kb + Kernels.keyOffset16(p % chunk, d / 2, hd)], d % 2 == 1);
            }
            float sc = (float) a * scale;
            s[p] = softcap > 0 ? (float) (softcap * Kernels.tanh(sc / softcap)) : sc;
            max = Math.max(max, s[p]);
        }
        float inv = softmax(s, first, last, max);
        int n = Kernels.valueInts(hd);
        for (int d = 0; d < hd; d++) {
            double a = 0;
            for (int p = first; p <= last; p++) {
                a += s[p] * Kernels.value16(v[p / chunk], vb + p % chunk * n, d);
            }
            out[oo + d] = (float) a * inv;
        }
    }

    /** SiLU, or GELU's tanh form written with one exp: {@code v / (1 + e^(-2u))} equals {@code v/2 (1 + tanh(u))}. */
    static float activation(boolean gelu, double v) {
        double z = gelu ? 1.5957691216057308 * (v + 0.044715 * v * v * v) : v;
        return (float) (v / (1 + Math.exp(-z)));
    }

    static void activate(boolean gelu, float[] g, int go, float[] up, int uo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            out[oo + i] = activation(gelu, g[go + i]) * (up != null ? up[uo + i] : 1f);
        }
    }
}
