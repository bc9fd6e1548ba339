package io.jneuron.cpu.tensor;

import io.jneuron.core.model.HalfFloats;
import io.jneuron.core.shape.DType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelsTest {
    private static final Parallel PAR = new Parallel(2);

    @AfterAll
    static void close() {
        PAR.close();
    }

    @Test
    void theVectorApiIsInUseUnderTests() {
        assertTrue(Kernels.vectorized(), Kernels.describe());
    }

    /** Products against a double-precision triple loop over the values the packed type can hold. */
    @ParameterizedTest
    @CsvSource({"FP32,7,5,3", "FP32,64,128,9", "FP32,33,200,1", "BF16,7,5,3", "BF16,64,128,9", "BF16,40,70,1",
            "FP16,7,5,3", "FP16,64,128,9", "FP16,41,96,4", "FP32,1000,128,1", "BF16,1000,256,5",
            "FP32,13,100,101", "BF16,13,100,101", "FP16,13,96,70",
            // Prefill tiles (PrefillKernels: 8 rows x 32 tokens): a 4-row group left after the 8-row groups,
            // which the 4x4 kernels take for every token (12, 20), that plus remainder rows (13, 29), a row
            // range split over both threads with a 4-row last chunk (36 rows), whole tiles only (128), no
            // whole tile (16), and token tails of 16, 5, 21 and 18 after whole tiles (48, 37, 53, 50).
            "BF16,12,64,16", "FP32,20,96,48", "BF16,36,256,37", "FP16,20,96,53", "FP16,12,96,50",
            "FP32,29,96,128", "BF16,8,64,50",
            // JDK 17's fp32 decode in 8-row blocks (VectorKernels.rowsF32): 8 + 4 rows, long rows, two tokens.
            "FP32,12,64,1", "FP32,44,2048,2",
            // Decode over long ranges split between both threads, with 1-3 rows left after the 4- or 8-row blocks.
            "FP32,1003,256,1", "BF16,1000,256,1", "BF16,1001,512,3", "FP16,999,256,2", "FP16,1000,256,1",
            // bf16 decode over rows longer than a copy piece (read straight from the storage on JDK 20+), with a tail.
            "BF16,43,2048,1", "BF16,302,1600,1", "FP16,43,2048,1"})
    void matmulMatchesADoubleReference(DType dtype, int rows, int cols, int tokens) {
        SplittableRandom rnd = new SplittableRandom(rows * 31L + cols);
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian();
        }
        PackedMatrix m = PackedMatrix.pack(dtype, rows, cols, w);
        int xs = m.stride();
        float[] x = new float[tokens * xs];
        for (int t = 0; t < tokens; t++) {
            for (int c = 0; c < cols; c++) {
                x[t * xs + c] = (float) rnd.nextGaussian();
            }
        }
        float[] out = new float[tokens * rows];
        Kernels.matmul(m, x, xs, tokens, out, rows, PAR);
        for (int t = 0; t < tokens; t++) {
            for (int r = 0; r < rows; r++) {
                double expect = 0;
                double mag = 0;
                for (int c = 0; c < cols; c++) {
                    double wv = rounded(dtype, w[r * cols + c]);
                    expect += wv * x[t * xs + c];
                    mag += Math.abs(wv * x[t * xs + c]);
                }
                assertEquals(expect, out[t * rows + r], 1e-6 * mag + 1e-6, "row " + r + " token " + t);
            }
        }
    }

    /**
     * fp16 decode widens with shifts and rescales by powers of two: subnormal halves (below 6.1e-5),
     * signed zeros and large activations must come out as a double loop over the exact halves gives.
     */
    @ParameterizedTest
    @CsvSource({"1e-5,1", "1e-5,3", "3e-3,2", "1,1"})
    void fp16DecodeIsExactForSubnormalWeightsAndLargeActivations(double scale, int tokens) {
        SplittableRandom rnd = new SplittableRandom(7);
        int rows = 12;
        int cols = 96;
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = i % 11 == 0 ? (i % 2 == 0 ? 0f : -0f) : (float) (rnd.nextGaussian() * scale);
        }
        PackedMatrix m = PackedMatrix.pack(DType.FP16, rows, cols, w);
        float[] x = new float[tokens * m.stride()];
        for (int t = 0; t < tokens; t++) {
            for (int c = 0; c < cols; c++) {
                x[t * m.stride() + c] = (float) (rnd.nextGaussian() * (c % 7 == 0 ? 3e4 : 1));
            }
        }
        float[] out = new float[tokens * rows];
        Kernels.matmul(m, x, m.stride(), tokens, out, rows, PAR);
        for (int t = 0; t < tokens; t++) {
            for (int r = 0; r < rows; r++) {
                double expect = 0;
                double mag = 0;
                for (int c = 0; c < cols; c++) {
                    double p = rounded(DType.FP16, w[r * cols + c]) * x[t * m.stride() + c];
                    expect += p;
                    mag += Math.abs(p);
                }
                assertEquals(expect, out[t * rows + r], 1e-6 * mag, "row " + r + " token " + t);
            }
        }
    }

    /**
     * int8 rows against a double loop over an independent per-row symmetric quantization (scale =
     * max|w| / 127, q = round-half-even(w / scale)), decode (1-3 tokens) and prefill (4+) paths, row
     * counts that are not multiples of 4, and an all-zero row.
     */
    @ParameterizedTest
    @CsvSource({"7,5,1", "12,96,3", "41,100,9", "8,64,4", "64,352,2", "13,100,101", "36,256,37", "20,96,53",
            "1003,256,1", "998,512,2",
            // decode over rows of 2 KB or more (read straight from the storage on JDK 20+), with a tail
            "43,2048,1", "102,4096,1"})
    void int8MatmulMatchesIndependentQuantization(int rows, int cols, int tokens) {
        SplittableRandom rnd = new SplittableRandom(rows * 17L + cols);
        float[] w = new float[rows * cols];
        for (int i = cols; i < w.length; i++) { // row 0 stays zero
            w[i] = (float) (rnd.nextGaussian() * 0.05);
        }
        PackedMatrix m = PackedMatrix.pack(DType.INT8, rows, cols, w);
        float[] x = new float[tokens * m.stride()];
        for (int t = 0; t < tokens; t++) {
            for (int c = 0; c < cols; c++) {
                x[t * m.stride() + c] = (float) rnd.nextGaussian();
            }
        }
        double[][] deq = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            double max = 0;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, Math.abs(w[r * cols + c]));
            }
            float scale = (float) (max / 127);
            for (int c = 0; c < cols; c++) {
                deq[r][c] = scale == 0 ? 0 : scale * Math.rint(w[r * cols + c] / scale);
                assertEquals(deq[r][c], m.get(r, c), 1e-7 * max, "element " + r + "," + c);
                assertTrue(Math.abs(deq[r][c] - w[r * cols + c]) <= max / 254 * 1.0001, "quantization error bound");
            }
        }
        float[] out = new float[tokens * rows];
        Kernels.matmul(m, x, m.stride(), tokens, out, rows, PAR);
        for (int t = 0; t < tokens; t++) {
            for (int r = 0; r < rows; r++) {
                double expect = 0;
                double mag = 0;
                for (int c = 0; c < cols; c++) {
                    expect += deq[r][c] * x[t * m.stride() + c];
                    mag += Math.abs(deq[r][c] * x[t * m.stride() + c]);
                }
                assertEquals(expect, out[t * rows + r], 1e-6 * mag + 1e-9, "row " + r + " token " + t);
            }
        }
    }

    @Test
    void packedElementsReadBackExactly() {
        float[] w = {1f, -2.5f, 0.1f, 65504f, -0f, 3.0e-5f, 1e-8f, 0.33333334f, 7f};
        for (DType d : new DType[] {DType.FP32, DType.BF16, DType.FP16}) {
            PackedMatrix m = PackedMatrix.pack(d, 1, w.length, w);
            for (int c = 0; c < w.length; c++) {
                assertEquals(rounded(d, w[c]), m.get(0, c), 0.0, d + " element " + c);
            }
        }
    }

    /** Rounding done independently of HalfFloats: bf16 by truncating with RNE on the raw bits, fp16 via JDK math. */
    private static double rounded(DType d, float v) {
        switch (d) {
            case FP32:
                return v;
            case BF16: {
                int bits = Float.floatToRawIntBits(v);
                int lsb = (bits >>> 16) & 1;
                return Float.intBitsToFloat(((bits + 0x7fff + lsb) >>> 16) << 16);
            }
            default: {
                // fp16 has 11 significant bits; scale so the unit in the last place is 1 and round half-even.
                double a = Math.abs(v);
                if (a == 0) {
                    return v;
                }
                int e = Math.max(Math.getExponent(a), -14);
                double ulp = Math.scalb(1.0, e - 10);
                double r = Math.rint(a / ulp) * ulp;
                assertEquals(r, Math.abs(HalfFloats.toFloat(HalfFloats.fromFloat(v))), 0.0, "fp16 rounding of " + v);
                return Math.copySign(r, v);
            }
        }
    }
}
