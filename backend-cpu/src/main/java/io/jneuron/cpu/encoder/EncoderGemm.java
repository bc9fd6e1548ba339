package io.jneuron.cpu.encoder;

import io.jneuron.cpu.tensor.PackedMatrix;
import io.jneuron.cpu.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The encoder's prefill-shaped products {@code C[tokens, n] = A[tokens, k] W^T + bias} (then an activation, or
 * plus a residual), as a blocked GEMM on the Vector API. The weights are repacked once at load into column
 * panels of {@link #NR} outputs ({@code panel[kk][j] = W[p*NR + j][kk]}), so the micro-kernel keeps a
 * {@code MR x NR} tile of C in registers and per step of k loads two weight vectors and broadcasts MR
 * activations: no horizontal reductions. Tokens are taken in blocks of {@link #MB} that stay in L2 while
 * every panel of a thread passes over them. The threads split the panels, one hand-off per product.
 * Only used when the JVM has the Vector API ({@code CpuEncoder} falls back to the decoder's kernels otherwise).
 */
final class EncoderGemm {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    /** Output columns per panel: two vectors. */
    static final int NR = 2 * L;
    /** Token rows per micro-kernel tile. */
    private static final int MR = 6;
    /** Token rows per L2 block: 64 x 1536 fp32 activations = 384 KiB. */
    private static final int MB = 64;

    /** What follows the bias in the epilogue. */
    enum Epilogue { NONE, GELU, GELU_TANH, RELU }

    /** Weights {@code [n, k]} as zero-padded column panels. Immutable. */
    record Panels(int n, int k, float[] data) {
        int count() {
            return (n + NR - 1) / NR;
        }

        static Panels of(PackedMatrix w) {
            int n = w.rows();
            int k = w.cols();
            int count = (n + NR - 1) / NR;
            float[] data = new float[Math.toIntExact((long) count * k * NR)];
            float[] row = new float[k];
            for (int r = 0; r < n; r++) {
                w.row(r, row, 0); // exact for every stored dtype: bf16/fp16 widen, int8 is scale * q
                int base = r / NR * k * NR + r % NR;
                for (int kk = 0; kk < k; kk++) {
                    data[base + kk * NR] = row[kk];
                }
            }
            return new Panels(n, k, data);
        }
    }

    private EncoderGemm() {
    }

    /**
     * {@code c[t * cs + j] = epilogue(sum_kk a[t * as + kk] W[j][kk] + bias[j] (+ residual[t * cs + j]))} for
     * tokens below {@code m} and outputs below {@code w.n()}; {@code residual} may be null (the encoder never
     * combines it with an activation). A partial last panel is written element by element.
     */
    static void multiply(float[] a, int as, int m, Panels w, float[] bias, Epilogue epi, float[] residual,
                         float[] c, int cs, Parallel par) {
        int panels = w.count();
        par.forRange(panels, 1, (long) m * w.k() * NR, (p0, p1) -> {
            float[] tile = new float[MR * NR];
            for (int mb = 0; mb < m; mb += MB) {
                int me = Math.min(m, mb + MB);
                for (int p = p0; p < p1; p++) {
                    int t = mb;
                    for (; t + MR <= me; t += MR) {
                        kernel6(a, as, t, w, p, tile);
                        store(tile, MR, t, p, w.n(), bias, epi, residual, c, cs);
                    }
                    for (; t < me; t++) {
                        kernel1(a, as, t, w, p, tile);
                        store(tile, 1, t, p, w.n(), bias, epi, residual, c, cs);
                    }
                }
            }
        });
    }

    /** Six token rows against one panel; the tile is {@code [6][NR]}. */
    private static void kernel6(float[] a, int as, int t, Panels w, int p, float[] tile) {
        float[] b = w.data();
        int k = w.k();
        FloatVector z = FloatVector.zero(F);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        int a0 = t * as, a1 = a0 + as, a2 = a1 + as, a3 = a2 + as, a4 = a3 + as, a5 = a4 + as;
        int bo = p * k * NR;
        for (int kk = 0; kk < k; kk++, bo += NR) {
            FloatVector b0 = FloatVector.fromArray(F, b, bo);
            FloatVector b1 = FloatVector.fromArray(F, b, bo + L);
            FloatVector v = FloatVector.broadcast(F, a[a0 + kk]);
            c00 = b0.fma(v, c00);
            c01 = b1.fma(v, c01);
            v = FloatVector.broadcast(F, a[a1 + kk]);
            c10 = b0.fma(v, c10);
            c11 = b1.fma(v, c11);
            v = FloatVector.broadcast(F, a[a2 + kk]);
            c20 = b0.fma(v, c20);
            c21 = b1.fma(v, c21);
            v = FloatVector.broadcast(F, a[a3 + kk]);
            c30 = b0.fma(v, c30);
            c31 = b1.fma(v, c31);
            v = FloatVector.broadcast(F, a[a4 + kk]);
            c40 = b0.fma(v, c40);
            c41 = b1.fma(v, c41);
            v = FloatVector.broadcast(F, a[a5 + kk]);
            c50 = b0.fma(v, c50);
            c51 = b1.fma(v, c51);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
    }

    private static void kernel1(float[] a, int as, int t, Panels w, int p, float[] tile) {
        float[] b = w.data();
        int k = w.k();
        FloatVector c0 = FloatVector.zero(F), c1 = c0;
        int a0 = t * as;
        int bo = p * k * NR;
        for (int kk = 0; kk < k; kk++, bo += NR) {
            FloatVector v = FloatVector.broadcast(F, a[a0 + kk]);
            c0 = FloatVector.fromArray(F, b, bo).fma(v, c0);
            c1 = FloatVector.fromArray(F, b, bo + L).fma(v, c1);
        }
        c0.intoArray(tile, 0);
        c1.intoArray(tile, L);
    }

    /** Bias, activation and residual on a tile of {@code rows} tokens, written to c (a partial last panel by lanes). */
    private static void store(float[] tile, int rows, int t, int p, int n, float[] bias, Epilogue epi,
                              float[] residual, float[] c, int cs) {
        int j0 = p * NR;
        boolean full = j0 + NR <= n;
        for (int r = 0; r < rows; r++) {
            int co = (t + r) * cs + j0;
            if (full) {
                for (int v = 0; v < NR; v += L) {
                    FloatVector x = FloatVector.fromArray(F, tile, r * NR + v).add(FloatVector.fromArray(F, bias, j0 + v));
                    if (residual != null) {
                        x = x.add(FloatVector.fromArray(F, residual, co + v));
                    }
                    x.intoArray(c, co + v);
                }
                if (epi != Epilogue.NONE) {
                    // Through arrays, not FloatVector arguments: the activation is too big to inline, and
                    // vectors passed to a call that is not inlined are boxed (measured 3x slower in the profile).
                    VectorMath.activate(c, co, NR, epi);
                }
            } else {
                for (int j = 0; j < n - j0; j++) {
                    float x = tile[r * NR + j] + bias[j0 + j];
                    x = switch (epi) {
                        case NONE -> x;
                        case GELU -> Gelu.exact(x);
                        case GELU_TANH -> Gelu.tanh(x);
                        case RELU -> Math.max(0f, x);
                    };
                    c[co + j] = residual != null ? x + residual[co + j] : x;
                }
            }
        }
    }
}
