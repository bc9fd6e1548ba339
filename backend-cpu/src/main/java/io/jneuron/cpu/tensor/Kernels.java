package io.jneuron.cpu.tensor;

import io.jneuron.core.model.HalfFloats;
import io.jneuron.core.shape.DType;

/**
 * The decoder's numeric primitives. Uses the Vector API when the JVM has
 * {@code jdk.incubator.vector}, plain Java otherwise; {@link #vectorized()} says which.
 */
public final class Kernels {
    private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !Boolean.getBoolean("jneuron.cpu.scalar") && VectorKernels.usable();

    private Kernels() {
    }

    public static boolean vectorized() {
        return VECTOR;
    }

    /** A one-line description for diagnostics, e.g. "Vector API, 16 fp32 lanes, segment loads". */
    public static String describe() {
        return VECTOR ? "Vector API, " + VectorKernels.L + " fp32 lanes, " + loads()
                : "scalar (start the JVM with --add-modules jdk.incubator.vector for speed)";
    }

    private static String loads() {
        return switch (VectorLoads.mode()) {
            case SEGMENTS -> "segment loads";
            case ADDRESSES -> "address loads";
            case BUFFERS -> "buffer loads (start JDK 17 with " + VectorLoads.EXPORT + " for speed)";
        };
    }

    /**
     * {@code out[t * os + r] = dot(W[r], x[t * xs ..])} for every row r of {@code w} and token t below
     * {@code tokens}. Each x row must hold {@code w.stride()} floats, zero past {@code w.cols()}.
     */
    public static void matmul(PackedMatrix w, float[] x, int xs, int tokens, float[] out, int os, Parallel par) {
        int stride = w.stride();
        if (xs < stride) {
            throw new IllegalArgumentException("activation stride " + xs + " < weight stride " + stride);
        }
        long cost = (long) stride * tokens;
        // Prefill: the activations transposed once here, for every thread's rows (null for decode).
        float[] xT = VECTOR ? PrefillKernels.transpose(x, xs, tokens, stride) : null;
        // Prefill chunks hold whole 8-row groups of PrefillKernels' tile (a 4-row rest takes the slower 4x4 kernel).
        int align = xT != null ? PrefillKernels.ROWS : 4;
        // Without a whole tile of tokens (decode, short prompts) each row is read from memory once: the longest runs per thread.
        par.forRange(w.rows(), align, cost, xT == null, (r0, r1) -> {
            // Split at chunk boundaries (a matrix is one chunk unless over 2 GiB); chunks hold multiples of 4 rows.
            int per = w.chunkRows();
            for (int r = r0; r < r1; ) {
                int c = r / per;
                int end = Math.min(r1, (c + 1) * per);
                rows(w, c, c * per, x, xs, xT, tokens, out, os, r, end);
                r = end;
            }
        });
    }

    /** Rows {@code r0..r1-1} (all in chunk c, whose first row is {@code first}) against every token. */
    private static void rows(PackedMatrix w, int c, int first, float[] x, int xs, float[] xT, int tokens, float[] out,
                             int os, int r0, int r1) {
        int stride = w.stride();
        DType dtype = w.dtype();
        if (dtype == DType.FP32) {
            if (VECTOR) {
                int done = xT == null ? 0 : VectorKernels.prefillF32(w.view(c), first, stride, xT, tokens, out, os, r0, r1);
                VectorKernels.rowsF32(w.view(c), first, stride, x, xs, done, tokens, out, os, r0, r1);
            } else {
                ScalarKernels.rowsF32(w.chunk(c), first, stride, x, xs, tokens, out, os, r0, r1);
            }
        } else if (dtype == DType.INT8) {
            if (VECTOR && Int8Kernels.usable()) {
                int done = xT == null ? 0
                        : Int8Kernels.prefill(w.chunk(c), first, w.scales(), stride, xT, tokens, out, os, r0, r1);
                Int8Kernels.rows(w.chunk(c), w.view(c), first, w.scales(), stride, x, xs, done, tokens, out, os, r0, r1);
            } else {
                ScalarKernels.rowsInt8(w.chunk(c), first, w.scales(), stride, x, xs, tokens, out, os, r0, r1);
            }
        } else {
            boolean fp16 = dtype == DType.FP16;
            if (VECTOR) {
                int done = xT == null ? 0
                        : VectorKernels.prefillPacked(w.ints(c), first, stride, fp16, xT, tokens, out, os, r0, r1);
                VectorKernels.rowsPacked(w.ints(c), w.view(c), first, stride, fp16, x, xs, done, tokens, out, os, r0, r1);
            } else {
                ScalarKernels.rowsPacked(w.chunk(c), first, stride, fp16, x, xs, tokens, out, os, r0, r1);
            }
        }
    }

    /**
     * Compiles the kernels for {@code dtype} (once per JVM; a fraction of a second), so the first
     * prefill and decode of a freshly loaded model run at full speed. Callers count it in load time.
     */
    public static void warmUp(DType dtype) {
        KernelWarmup.run(dtype);
    }

    public static float dot(float[] a, int ao, float[] b, int bo, int n) {
        return VECTOR ? VectorKernels.dot(a, ao, b, bo, n) : ScalarKernels.dot(a, ao, b, bo, n);
    }

    /**
     * tanh through one {@code Math.exp}: JDK 17 has no tanh intrinsic (Math.tanh is ~3x slower than exp here), and the
     * soft-caps and GELU of Gemma call it per score and per MLP unit. Absolute error below 3e-16.
     */
    public static double tanh(double x) {
        return 1 - 2 / (1 + Math.exp(2 * x)); // exp overflow gives 1, underflow -1: no special cases
    }

    /** Positions per block of the transposed key cache (see {@link #attendHead}); a multiple of the vector length. */
    public static final int KEY_BLOCK = 16;

    /** Floats of one head's key cache for {@code positions} positions: whole key blocks of {@code hd} rows. */
    public static int keyCacheLength(int positions, int hd) {
        return (positions + KEY_BLOCK - 1) / KEY_BLOCK * KEY_BLOCK * hd;
    }

    /** Where element {@code d} of key {@code p} sits in one head's key cache (see {@link #attendHead}). */
    public static int keyOffset(int p, int d, int hd) {
        return (p / KEY_BLOCK * hd + d) * KEY_BLOCK + p % KEY_BLOCK;
    }

    /**
     * Causal attention of one query head: {@code out[oo..oo+hd) = softmax(scale * q.k_p) . v_p} over positions
     * {@code first..last}, the scores soft-capped when {@code softcap > 0}. The cache is in chunks of {@code chunk}
     * positions (a multiple of {@link #KEY_BLOCK}), one array per chunk, so that a session touches the memory of
     * the positions it reaches, not of the whole sequence length. Inside chunk {@code c = p / chunk}, keys are in
     * blocks of {@link #KEY_BLOCK} positions, transposed inside a block: key p, element d at
     * {@code k[c][kb + keyOffset(p % chunk, d, hd)]}; values at {@code v[c][vb + (p % chunk) * hd + d]}.
     */
    public static void attendHead(float[] q, int qo, float[][] k, int kb, float[][] v, int vb, int chunk, int hd,
                                  int first, int last, float scale, float softcap, float[] out, int oo) {
        attendHeads(q, qo, k, kb, v, vb, chunk, hd, first, last, scale, softcap, out, oo, 0, 1, 1);
    }

    /**
     * {@link #attendHead} for the {@code n} query heads {@code h0..h0+n-1} of one slot, at once: head {@code h0 + j}'s
     * query at {@code q[qo + j * hd]}, its output at {@code out[oo + j * hd]}, and its keys and values those of kv head
     * {@code (h0 + j) / group} (grouped-query attention), whose cache starts {@code (h0 + j) / group} heads after
     * {@code kb} and {@code vb} in each chunk (a head's keys are {@code keyCacheLength(chunk, hd)} floats of a chunk,
     * its values {@code chunk * hd}).
     */
    public static void attendHeads(float[] q, int qo, float[][] k, int kb, float[][] v, int vb, int chunk, int hd,
                                   int first, int last, float scale, float softcap, float[] out, int oo, int h0, int n,
                                   int group) {
        int span = keyCacheLength(last + 1, 1);
        if (VECTOR) {
            float[] s = Scratch.scores(n * span + n);
            AttentionKernels.attendHeads(q, qo, k, kb, v, vb, chunk, hd, first, last, scale, softcap, s, out, oo, h0,
                    n, group);
            return;
        }
        float[] s = Scratch.scores(span);
        for (int j = 0; j < n; j++) {
            int kv = (h0 + j) / group;
            ScalarKernels.attendHead(q, qo + j * hd, k, kb + kv * keyCacheLength(chunk, hd), v, vb + kv * chunk * hd,
                    chunk, hd, first, last, scale, softcap, s, out, oo + j * hd);
        }
    }

    // ---- The 16-bit KV cache: bf16 pairs in ints, the bf16 weights' trick (a shift or a mask widens a half) ----

    /** Ints of one head's 16-bit key cache for {@code positions} positions: key blocks of {@code (hd + 1) / 2} pair rows. */
    public static int keyCacheInts(int positions, int hd) {
        return keyCacheLength(positions, (hd + 1) / 2);
    }

    /**
     * Where dimensions {@code 2j} (low half) and {@code 2j + 1} (high half) of key p sit in one head's 16-bit key
     * cache: the layout of {@link #keyOffset} with an int of two dimensions in place of a float.
     */
    public static int keyOffset16(int p, int j, int hd) {
        return keyOffset(p, j, (hd + 1) / 2);
    }

    /**
     * Ints per position of a 16-bit value cache: dimensions in groups of 32, dimension {@code 32g + i} in int
     * {@code 16g + i % 16}, the low half for {@code i < 16}, so each half of a group's ints is 16 consecutive
     * dimensions.
     */
    public static int valueInts(int hd) {
        return (hd + 31) / 32 * 16;
    }

    /** Key {@code src[so..so+hd)} as bf16 (rounded to nearest even) at position p of the head's key cache at {@code k[kb..]}. */
    public static void storeKey16(float[] src, int so, int hd, int[] k, int kb, int p) {
        for (int j = 0; 2 * j < hd; j++) {
            int hi = 2 * j + 1 < hd ? bf16(src[so + 2 * j + 1]) : 0;
            k[kb + keyOffset16(p, j, hd)] = bf16(src[so + 2 * j]) | hi << 16;
        }
    }

    /** Value {@code src[so..so+hd)} as bf16 into one position's {@link #valueInts} ints at {@code v[vo..]}. */
    public static void storeValue16(float[] src, int so, int hd, int[] v, int vo) {
        for (int i = 0; i < valueInts(hd); i++) {
            int d = i / 16 * 32 + i % 16;
            int lo = d < hd ? bf16(src[so + d]) : 0;
            int hi = d + 16 < hd ? bf16(src[so + d + 16]) : 0;
            v[vo + i] = lo | hi << 16;
        }
    }

    /** Dimension d of one position's 16-bit value (see {@link #valueInts}) as fp32. */
    static float value16(int[] v, int vo, int d) {
        return half(v[vo + d / 32 * 16 + d % 16], d % 32 >= 16);
    }

    /** The low or high bf16 of a pair as fp32. */
    static float half(int pair, boolean high) {
        return Float.intBitsToFloat(high ? pair & 0xFFFF0000 : pair << 16);
    }

    private static int bf16(float f) {
        return HalfFloats.floatToBf16(f) & 0xFFFF;
    }

    /**
     * {@link #attendHead} over a 16-bit cache in chunks of {@code chunk} positions: keys at
     * {@code k[c][kb + keyOffset16(p % chunk, j, hd)]}, values at {@code v[c][vb + (p % chunk) * valueInts(hd) ..]},
     * {@code c = p / chunk}. Each key and value is read as half the bytes of fp32.
     */
    public static void attendHead16(float[] q, int qo, int[][] k, int kb, int[][] v, int vb, int chunk, int hd,
                                    int first, int last, float scale, float softcap, float[] out, int oo) {
        attendHeads16(q, qo, k, kb, v, vb, chunk, hd, first, last, scale, softcap, out, oo, 0, 1, 1);
    }

    /**
     * {@link #attendHeads} over a 16-bit cache (see {@link #attendHead16}): a kv head's keys are
     * {@code keyCacheInts(chunk, hd)} ints of a chunk, its values {@code chunk * valueInts(hd)}.
     */
    public static void attendHeads16(float[] q, int qo, int[][] k, int kb, int[][] v, int vb, int chunk, int hd,
                                     int first, int last, float scale, float softcap, float[] out, int oo, int h0,
                                     int n, int group) {
        int span = keyCacheLength(last + 1, 1);
        if (VECTOR) {
            float[] s = Scratch.scores(n * span + n);
            AttentionKernels.attendHeads16(q, qo, k, kb, v, vb, chunk, hd, first, last, scale, softcap, s, out, oo, h0,
                    n, group);
            return;
        }
        float[] s = Scratch.scores(span);
        for (int j = 0; j < n; j++) {
            int kv = (h0 + j) / group;
            ScalarKernels.attendHead16(q, qo + j * hd, k, kb + kv * keyCacheInts(chunk, hd), v,
                    vb + kv * chunk * valueInts(hd), chunk, hd, first, last, scale, softcap, s, out, oo + j * hd);
        }
    }

    /**
     * {@code out[oo + i] = act(g[go + i]) * up[uo + i]} for i below n ({@code up} null: no gate product); act is
     * SiLU, or with {@code gelu} the tanh form of GELU (gelu_new, gelu_pytorch_tanh).
     */
    public static void activate(boolean gelu, float[] g, int go, float[] up, int uo, float[] out, int oo, int n) {
        if (VECTOR) {
            AttentionKernels.activate(gelu, g, go, up, uo, out, oo, n);
        } else {
            ScalarKernels.activate(gelu, g, go, up, uo, out, oo, n);
        }
    }

    /** {@code y[yo + i] += a * x[xo + i]} for i below n. */
    public static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        if (VECTOR) {
            VectorKernels.axpy(a, x, xo, y, yo, n);
        } else {
            ScalarKernels.axpy(a, x, xo, y, yo, n);
        }
    }
}
