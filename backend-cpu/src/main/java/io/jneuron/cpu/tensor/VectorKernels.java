package io.jneuron.cpu.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.nio.IntBuffer;

/**
 * Matrix products on the Java Vector API. {@code out[t][r] = dot(W[r], x[t])} over row blocks of 4
 * and token blocks of 4: each weight vector loaded is used by 4 tokens (prefill is compute-bound),
 * and with one token (decode) the 4 rows stream weights at memory bandwidth. Full blocks of prefill
 * tokens go through {@link PrefillKernels} instead, given the transposed activations {@code xT}.
 *
 * <p>16-bit weights arrive two per int (see {@link PackedMatrix}); {@code lo}/{@code hi} widen them
 * to fp32 with integer shifts and masks, no lane shuffles.
 */
final class VectorKernels {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    static final int L = F.length();
    private static final int HALF = PackedMatrix.BLOCK / 2;
    /** Sign, fp16 exponent and mantissa after {@code ASHR 3}: bits 31 and 27..13. */
    private static final int FP16_MASK = 0x8FFFE000;
    /**
     * fp16 decode multiplies weights scaled by 2^-112 (see {@link #fp16Lo}) with activations scaled by
     * {@code X_SCALE}, and rescales each sum by {@code OUT_SCALE}: powers of two, so nothing is rounded
     * differently, except products below ~2^-110 (negligible) and activations above ~2^32 (none are).
     */
    private static final float X_SCALE = 0x1p96f;
    private static final float OUT_SCALE = 0x1p16f;

    private VectorKernels() {
    }

    static boolean usable() {
        return L >= 4 && HALF % L == 0 && I.length() == L;
    }

    /** Floats at byte offset {@code at} of the storage view {@code w}; {@code base} is {@code VectorLoads.base(w)}. */
    private static FloatVector f(Object w, long base, long at) {
        return VectorLoads.floats(F, w, base, at);
    }

    // ---- fp32 weights ----

    /**
     * Weights {@code w} are a storage view (see {@link VectorLoads}) whose row 0 is matrix row {@code first};
     * offsets into it are in bytes. Prefill copies each block of 4 rows into an L1-resident scratch for the
     * 4x4 kernel, as the 16-bit and int8 kernels widen into it. Decode reads the view directly: unlike
     * 16-bit and int8 weights, fp32 ones measured slower through the {@link Scratch} bulk copy
     * (0.78x of heap arrays against 0.86x for direct loads, on JDK 17 and 25; bench/README.md), since
     * fp32 decode is bound by memory bandwidth and the copy does not overlap the arithmetic.
     */
    static void rowsF32(Object w, int first, int stride, float[] x, int xs, int done, int tokens, float[] out,
                        int os, int r0, int r1) {
        VectorLoads.check(w, (r0 - first) * 4L * stride, (r1 - first) * 4L * stride);
        long base = VectorLoads.base(w);
        float[] scratch = tokens >= 4 ? Scratch.wide(4 * stride) : null;
        int covered = PrefillKernels.covered(r0, r1);
        int r = done == tokens ? covered : r0;
        if (EIGHT_ROWS && scratch == null && done == 0) {
            for (; r + 8 <= r1; r += 8) {
                for (int t = 0; t < tokens; t++) {
                    f32Block8x1(w, stride, (r - first) * stride * 4, x, t * xs, out, t * os + r);
                }
            }
        }
        for (; r + 4 <= r1; r += 4) {
            int t = PrefillKernels.from(done, r, covered);
            if (scratch != null) {
                for (int k = 0; k < 4; k++) {
                    int wo = (r - first + k) * stride * 4;
                    for (int i = 0; i < stride; i += L) {
                        f(w, base, wo + 4 * i).intoArray(scratch, k * stride + i);
                    }
                }
                for (; t + 4 <= tokens; t += 4) {
                    f32Block4x4(scratch, stride, 0, r, x, xs, t, out, os);
                }
            }
            for (; t < tokens; t++) {
                f32Block4x1(w, stride, (r - first) * stride * 4, x, t * xs, out, t * os + r);
            }
        }
        for (; r < r1; r++) {
            for (int t = 0; t < tokens; t++) {
                FloatVector acc = FloatVector.zero(F);
                int wo = (r - first) * stride * 4;
                int xo = t * xs;
                for (int i = 0; i < stride; i += L) {
                    acc = f(w, base, wo + 4 * i).fma(FloatVector.fromArray(F, x, xo + i), acc);
                }
                out[t * os + r] = acc.reduceLanes(VectorOperators.ADD);
            }
        }
    }

    /**
     * The prefill tiles of {@link PrefillKernels} over fp32 rows {@code r0..r1-1} (see {@link #rowsF32}); returns
     * the tokens done, which {@link #rowsF32} is then given. Kept out of {@link #rowsF32}: with the lambda in
     * it, JDK 17's decode products measured 0.94x.
     */
    static int prefillF32(Object w, int first, int stride, float[] xT, int tokens, float[] out, int os, int r0,
                          int r1) {
        VectorLoads.check(w, (r0 - first) * 4L * stride, (r1 - first) * 4L * stride);
        return PrefillKernels.rows((r, n, dst) -> {
            long base = VectorLoads.base(w);
            for (int k = 0; k < n; k++) {
                int wo = (r - first + k) * stride * 4;
                for (int i = 0; i < stride; i += L) {
                    f(w, base, wo + 4 * i).intoArray(dst, k * stride + i);
                }
            }
        }, stride, xT, tokens, out, os, r0, r1);
    }

    /**
     * JDK 17's fp32 decode takes 8 rows a block (16 FMA chains, {@link #f32Block8x1}): with 4, its {@code fromByteBuffer}
     * loads reached 33 GB/s, with 8 the products alone ran 1.08-1.45x faster (`bench/kernels-ab.sh`, 11 rounds, 4 runs).
     * Temurin 25's segment loads ran 0.76-0.85x with them, so JDK 20+ keeps 4.
     */
    private static final boolean EIGHT_ROWS = !VectorLoads.segments();

    /** {@link #f32Block4x1} over 8 rows, written out as it is: C2 keeps 16 named accumulators in registers. */
    private static void f32Block8x1(Object w, int stride, int wo, float[] x, int xo, float[] out, int oo) {
        long base = VectorLoads.base(w);
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0, b6 = a0, b7 = a0;
        long rb = 4L * stride;
        long w0 = wo, w1 = w0 + rb, w2 = w1 + rb, w3 = w2 + rb, w4 = w3 + rb, w5 = w4 + rb, w6 = w5 + rb, w7 = w6 + rb;
        for (int i = 0; i < stride; i += 2 * L) {
            FloatVector xv = FloatVector.fromArray(F, x, xo + i);
            FloatVector xw = FloatVector.fromArray(F, x, xo + i + L);
            long o = 4L * i;
            long p = o + 4 * L;
            a0 = f(w, base, w0 + o).fma(xv, a0);
            a1 = f(w, base, w1 + o).fma(xv, a1);
            a2 = f(w, base, w2 + o).fma(xv, a2);
            a3 = f(w, base, w3 + o).fma(xv, a3);
            a4 = f(w, base, w4 + o).fma(xv, a4);
            a5 = f(w, base, w5 + o).fma(xv, a5);
            a6 = f(w, base, w6 + o).fma(xv, a6);
            a7 = f(w, base, w7 + o).fma(xv, a7);
            b0 = f(w, base, w0 + p).fma(xw, b0);
            b1 = f(w, base, w1 + p).fma(xw, b1);
            b2 = f(w, base, w2 + p).fma(xw, b2);
            b3 = f(w, base, w3 + p).fma(xw, b3);
            b4 = f(w, base, w4 + p).fma(xw, b4);
            b5 = f(w, base, w5 + p).fma(xw, b5);
            b6 = f(w, base, w6 + p).fma(xw, b6);
            b7 = f(w, base, w7 + p).fma(xw, b7);
        }
        out[oo] = a0.add(b0).reduceLanes(VectorOperators.ADD);
        out[oo + 1] = a1.add(b1).reduceLanes(VectorOperators.ADD);
        out[oo + 2] = a2.add(b2).reduceLanes(VectorOperators.ADD);
        out[oo + 3] = a3.add(b3).reduceLanes(VectorOperators.ADD);
        out[oo + 4] = a4.add(b4).reduceLanes(VectorOperators.ADD);
        out[oo + 5] = a5.add(b5).reduceLanes(VectorOperators.ADD);
        out[oo + 6] = a6.add(b6).reduceLanes(VectorOperators.ADD);
        out[oo + 7] = a7.add(b7).reduceLanes(VectorOperators.ADD);
    }

    /** Four rows from byte offset {@code wo} (rows {@code 4 * stride} bytes apart) against one token, into out[oo..+3]. */
    private static void f32Block4x1(Object w, int stride, int wo, float[] x, int xo, float[] out, int oo) {
        long base = VectorLoads.base(w);
        // Two accumulators per row (8 independent FMA chains, as int8 does): storage loads cost more
        // than array loads, and the extra chains hide them.
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        long rb = 4L * stride;
        long w0 = wo, w1 = w0 + rb, w2 = w1 + rb, w3 = w2 + rb;
        for (int i = 0; i < stride; i += 2 * L) {
            FloatVector xv = FloatVector.fromArray(F, x, xo + i);
            FloatVector xw = FloatVector.fromArray(F, x, xo + i + L);
            long o = 4L * i;
            long p = o + 4 * L;
            a0 = f(w, base, w0 + o).fma(xv, a0);
            a1 = f(w, base, w1 + o).fma(xv, a1);
            a2 = f(w, base, w2 + o).fma(xv, a2);
            a3 = f(w, base, w3 + o).fma(xv, a3);
            b0 = f(w, base, w0 + p).fma(xw, b0);
            b1 = f(w, base, w1 + p).fma(xw, b1);
            b2 = f(w, base, w2 + p).fma(xw, b2);
            b3 = f(w, base, w3 + p).fma(xw, b3);
        }
        out[oo] = a0.add(b0).reduceLanes(VectorOperators.ADD);
        out[oo + 1] = a1.add(b1).reduceLanes(VectorOperators.ADD);
        out[oo + 2] = a2.add(b2).reduceLanes(VectorOperators.ADD);
        out[oo + 3] = a3.add(b3).reduceLanes(VectorOperators.ADD);
    }

    /** Rows {@code wr..wr+3} of {@code w} against tokens {@code t..t+3}, written to output rows {@code r..r+3}. */
    static void f32Block4x4(float[] w, int stride, int wr, int r, float[] x, int xs, int t, float[] out, int os) {
        FloatVector z = FloatVector.zero(F);
        FloatVector a00 = z, a01 = z, a02 = z, a03 = z, a10 = z, a11 = z, a12 = z, a13 = z;
        FloatVector a20 = z, a21 = z, a22 = z, a23 = z, a30 = z, a31 = z, a32 = z, a33 = z;
        int w0 = wr * stride, w1 = w0 + stride, w2 = w1 + stride, w3 = w2 + stride;
        int x0 = t * xs, x1 = x0 + xs, x2 = x1 + xs, x3 = x2 + xs;
        for (int i = 0; i < stride; i += L) {
            FloatVector v0 = FloatVector.fromArray(F, x, x0 + i);
            FloatVector v1 = FloatVector.fromArray(F, x, x1 + i);
            FloatVector v2 = FloatVector.fromArray(F, x, x2 + i);
            FloatVector v3 = FloatVector.fromArray(F, x, x3 + i);
            FloatVector m = FloatVector.fromArray(F, w, w0 + i);
            a00 = m.fma(v0, a00); a01 = m.fma(v1, a01); a02 = m.fma(v2, a02); a03 = m.fma(v3, a03);
            m = FloatVector.fromArray(F, w, w1 + i);
            a10 = m.fma(v0, a10); a11 = m.fma(v1, a11); a12 = m.fma(v2, a12); a13 = m.fma(v3, a13);
            m = FloatVector.fromArray(F, w, w2 + i);
            a20 = m.fma(v0, a20); a21 = m.fma(v1, a21); a22 = m.fma(v2, a22); a23 = m.fma(v3, a23);
            m = FloatVector.fromArray(F, w, w3 + i);
            a30 = m.fma(v0, a30); a31 = m.fma(v1, a31); a32 = m.fma(v2, a32); a33 = m.fma(v3, a33);
        }
        store4(out, t * os + r, os, a00, a10, a20, a30);
        store4(out, (t + 1) * os + r, os, a01, a11, a21, a31);
        store4(out, (t + 2) * os + r, os, a02, a12, a22, a32);
        store4(out, (t + 3) * os + r, os, a03, a13, a23, a33);
    }

    private static void store4(float[] out, int at, int os, FloatVector r0, FloatVector r1, FloatVector r2,
                               FloatVector r3) {
        out[at] = r0.reduceLanes(VectorOperators.ADD);
        out[at + 1] = r1.reduceLanes(VectorOperators.ADD);
        out[at + 2] = r2.reduceLanes(VectorOperators.ADD);
        out[at + 3] = r3.reduceLanes(VectorOperators.ADD);
    }

    // ---- bf16 / fp16 weights, two per int ----

    /** Element j of a block (low half) as fp32. */
    private static FloatVector lo(IntVector v, boolean fp16) {
        if (!fp16) {
            return v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
        }
        return fp16Lo(v).mul(0x1p112f);
    }

    /** Element j + 16 of a block (high half) as fp32. */
    private static FloatVector hi(IntVector v, boolean fp16) {
        if (!fp16) {
            return v.and(0xFFFF0000).reinterpretAsFloats();
        }
        return fp16Hi(v).mul(0x1p112f);
    }

    /**
     * The low fp16 of each int as fp32 times 2^-112: an arithmetic shift puts sign, exponent and
     * mantissa where a float has them (the exponent still in fp16's bias, hence the factor; fp16
     * subnormals land on float subnormals, so the value is exact), the mask clears the copied sign bits.
     */
    private static FloatVector fp16Lo(IntVector v) {
        return v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3).and(FP16_MASK)
                .reinterpretAsFloats();
    }

    /** The high fp16 of each int as fp32 times 2^-112 (see {@link #fp16Lo}). */
    private static FloatVector fp16Hi(IntVector v) {
        return v.lanewise(VectorOperators.ASHR, 3).and(FP16_MASK).reinterpretAsFloats();
    }

    /**
     * {@code w} is an int view of a storage chunk (two 16-bit weights per int) whose row 0 is matrix row
     * {@code first}. Each block of 4 rows is bulk-copied into this thread's int scratch; with several
     * tokens (prefill) it is then widened once into an fp32 scratch for the fp32 kernels, so widening is
     * paid once per row, not per token. {@code view} is the same chunk as vector loads read it ({@link VectorLoads}):
     * bf16 decode over long rows reads it directly on JDK 20+ (see {@link #DIRECT_LONG_ROWS}).
     */
    static void rowsPacked(IntBuffer w, Object view, int first, int stride, boolean fp16, float[] x, int xs, int done,
                           int tokens, float[] out, int os, int r0, int r1) {
        int half = stride / 2;
        if (DIRECT_LONG_ROWS && view != null && tokens == 1 && !fp16 && 2 * stride > Scratch.COPY_PIECE) {
            int r = r0;
            for (; r + 4 <= r1; r += 4) {
                bf16Direct4x1(view, (r - first) * 2L * stride, stride, x, out, r);
            }
            r0 = r;
        }
        int[] rows = Scratch.ints(4 * half);
        int piece = Scratch.piece(2 * stride);
        float[] wide = tokens >= 4 ? Scratch.wide(4 * stride) : null;
        // Tokens the 4x4 kernel does not cover go through the one-token kernel.
        int single = wide != null ? tokens / 4 * 4 : 0;
        float[] xScaled = fp16 && single < tokens ? scaledX(x, xs, single, tokens, stride) : null;
        int covered = PrefillKernels.covered(r0, r1);
        int r = done == tokens ? covered : r0;
        for (; r + 4 <= r1; r += 4) {
            Scratch.copy(w, (r - first) * half, rows, 4 * half, piece);
            int t = PrefillKernels.from(done, r, covered);
            if (wide != null) {
                widen(rows, stride, fp16, 4, wide);
                for (; t + 4 <= tokens; t += 4) {
                    f32Block4x4(wide, stride, 0, r, x, xs, t, out, os);
                }
            }
            for (; t < tokens; t++) {
                if (fp16) {
                    fp16Block4x1(rows, stride, xScaled, (t - single) * stride, out, t * os + r);
                } else {
                    bf16Block4x1(rows, stride, x, t * xs, out, t * os + r);
                }
            }
        }
        for (; r < r1; r++) {
            w.get((r - first) * half, rows, 0, half);
            for (int t = 0; t < tokens; t++) {
                FloatVector acc = FloatVector.zero(F);
                int xo = t * xs;
                for (int b = 0; b < stride; b += PackedMatrix.BLOCK) {
                    for (int h = 0; h < HALF; h += L) {
                        IntVector v = IntVector.fromArray(I, rows, b / 2 + h);
                        acc = lo(v, fp16).fma(FloatVector.fromArray(F, x, xo + b + h), acc);
                        acc = hi(v, fp16).fma(FloatVector.fromArray(F, x, xo + b + HALF + h), acc);
                    }
                }
                out[t * os + r] = acc.reduceLanes(VectorOperators.ADD);
            }
        }
    }

    /** The prefill tiles over packed 16-bit rows (see {@link #prefillF32}, {@link #rowsPacked}). */
    static int prefillPacked(IntBuffer w, int first, int stride, boolean fp16, float[] xT, int tokens, float[] out,
                             int os, int r0, int r1) {
        int half = stride / 2;
        return PrefillKernels.rows((r, n, dst) -> {
            int[] packed = Scratch.ints(n * half);
            w.get((r - first) * half, packed, 0, n * half);
            widen(packed, stride, fp16, n, dst);
        }, stride, xT, tokens, out, os, r0, r1);
    }

    /**
     * bf16 decode, the hot loop of bf16 generation, over a 4-row int scratch: widening is one shift
     * (low half) or one mask (high half), written out without the fp16 branch so nothing but loads,
     * shifts and FMAs is in the loop.
     */
    private static void bf16Block4x1(int[] w, int stride, float[] x, int xo, float[] out, int oo) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        int half = stride / 2;
        int w1 = half, w2 = w1 + half, w3 = w2 + half;
        for (int b = 0; b < stride; b += PackedMatrix.BLOCK) {
            int wb = b / 2;
            for (int h = 0; h < HALF; h += L) {
                FloatVector xl = FloatVector.fromArray(F, x, xo + b + h);
                FloatVector xh = FloatVector.fromArray(F, x, xo + b + HALF + h);
                IntVector v0 = IntVector.fromArray(I, w, wb + h);
                IntVector v1 = IntVector.fromArray(I, w, w1 + wb + h);
                IntVector v2 = IntVector.fromArray(I, w, w2 + wb + h);
                IntVector v3 = IntVector.fromArray(I, w, w3 + wb + h);
                a0 = v0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(xl, a0);
                a1 = v1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(xl, a1);
                a2 = v2.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(xl, a2);
                a3 = v3.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(xl, a3);
                b0 = v0.and(0xFFFF0000).reinterpretAsFloats().fma(xh, b0);
                b1 = v1.and(0xFFFF0000).reinterpretAsFloats().fma(xh, b1);
                b2 = v2.and(0xFFFF0000).reinterpretAsFloats().fma(xh, b2);
                b3 = v3.and(0xFFFF0000).reinterpretAsFloats().fma(xh, b3);
            }
        }
        out[oo] = a0.add(b0).reduceLanes(VectorOperators.ADD);
        out[oo + 1] = a1.add(b1).reduceLanes(VectorOperators.ADD);
        out[oo + 2] = a2.add(b2).reduceLanes(VectorOperators.ADD);
        out[oo + 3] = a3.add(b3).reduceLanes(VectorOperators.ADD);
    }

    /**
     * bf16 decode over rows longer than a copy piece (a Llama's down projection: 2048 columns, 4 KB) reads them straight
     * from the segment on JDK 20+: the rows' bulk copy read 26-34 GB/s there against 39-45 for 768-column rows, loads
     * from the segment 32-48 (Temurin 25, 3 runs of a per-shape bench, 768x2048: 1.16-1.22x, 384x4096: 1.31-1.41x;
     * 2 KB rows and shorter ran slower that way). JDK 17 keeps the copy: its buffer loads gained nothing (0.97-1.06x),
     * nor did its address loads (whole generations 1.01-1.03x, 16 ABBA pairs of bench/ab-pairs.sh).
     */
    private static final boolean DIRECT_LONG_ROWS = VectorLoads.segments();

    /** {@link #bf16Block4x1} over four rows of a storage view from byte offset {@code wo}, against one token. */
    private static void bf16Direct4x1(Object w, long wo, int stride, float[] x, float[] out, int oo) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        long rb = 2L * stride;
        long w0 = wo, w1 = w0 + rb, w2 = w1 + rb, w3 = w2 + rb;
        for (int b = 0; b < stride; b += PackedMatrix.BLOCK) {
            long wb = b * 2L;
            for (int h = 0; h < HALF; h += L) {
                FloatVector xl = FloatVector.fromArray(F, x, b + h);
                FloatVector xh = FloatVector.fromArray(F, x, b + HALF + h);
                long o = wb + 4L * h;
                IntVector v0 = VectorLoads.ints(I, w, w0 + o);
                IntVector v1 = VectorLoads.ints(I, w, w1 + o);
                IntVector v2 = VectorLoads.ints(I, w, w2 + o);
                IntVector v3 = VectorLoads.ints(I, w, w3 + o);
                a0 = v0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(xl, a0);
                a1 = v1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(xl, a1);
                a2 = v2.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(xl, a2);
                a3 = v3.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(xl, a3);
                b0 = v0.and(0xFFFF0000).reinterpretAsFloats().fma(xh, b0);
                b1 = v1.and(0xFFFF0000).reinterpretAsFloats().fma(xh, b1);
                b2 = v2.and(0xFFFF0000).reinterpretAsFloats().fma(xh, b2);
                b3 = v3.and(0xFFFF0000).reinterpretAsFloats().fma(xh, b3);
            }
        }
        out[oo] = a0.add(b0).reduceLanes(VectorOperators.ADD);
        out[oo + 1] = a1.add(b1).reduceLanes(VectorOperators.ADD);
        out[oo + 2] = a2.add(b2).reduceLanes(VectorOperators.ADD);
        out[oo + 3] = a3.add(b3).reduceLanes(VectorOperators.ADD);
    }

    /**
     * fp16 decode: as {@link #bf16Block4x1} with the three-instruction widening of {@link #fp16Lo} /
     * {@link #fp16Hi}; {@code x} is pre-scaled by {@link #X_SCALE}, so no per-element rescale is needed.
     */
    private static void fp16Block4x1(int[] w, int stride, float[] x, int xo, float[] out, int oo) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int half = stride / 2;
        int w1 = half, w2 = w1 + half, w3 = w2 + half;
        for (int b = 0; b < stride; b += PackedMatrix.BLOCK) {
            int wb = b / 2;
            for (int h = 0; h < HALF; h += L) {
                FloatVector xl = FloatVector.fromArray(F, x, xo + b + h);
                FloatVector xh = FloatVector.fromArray(F, x, xo + b + HALF + h);
                IntVector v0 = IntVector.fromArray(I, w, wb + h);
                IntVector v1 = IntVector.fromArray(I, w, w1 + wb + h);
                IntVector v2 = IntVector.fromArray(I, w, w2 + wb + h);
                IntVector v3 = IntVector.fromArray(I, w, w3 + wb + h);
                a0 = fp16Lo(v0).fma(xl, a0);
                a1 = fp16Lo(v1).fma(xl, a1);
                a2 = fp16Lo(v2).fma(xl, a2);
                a3 = fp16Lo(v3).fma(xl, a3);
                a0 = fp16Hi(v0).fma(xh, a0);
                a1 = fp16Hi(v1).fma(xh, a1);
                a2 = fp16Hi(v2).fma(xh, a2);
                a3 = fp16Hi(v3).fma(xh, a3);
            }
        }
        out[oo] = a0.reduceLanes(VectorOperators.ADD) * OUT_SCALE;
        out[oo + 1] = a1.reduceLanes(VectorOperators.ADD) * OUT_SCALE;
        out[oo + 2] = a2.reduceLanes(VectorOperators.ADD) * OUT_SCALE;
        out[oo + 3] = a3.reduceLanes(VectorOperators.ADD) * OUT_SCALE;
    }

    /** Tokens {@code t0..t1-1} times {@link #X_SCALE}, {@code stride} apart from index 0 of this thread's scratch. */
    private static float[] scaledX(float[] x, int xs, int t0, int t1, int stride) {
        float[] d = Scratch.scaled((t1 - t0) * stride);
        for (int t = t0; t < t1; t++) {
            for (int i = 0; i < stride; i += L) {
                FloatVector.fromArray(F, x, t * xs + i).mul(X_SCALE).intoArray(d, (t - t0) * stride + i);
            }
        }
        return d;
    }

    /** Rows {@code 0..n-1} of packed 16-bit weights {@code w} as fp32 rows of {@code stride} in {@code dst}. */
    private static void widen(int[] w, int stride, boolean fp16, int n, float[] dst) {
        for (int k = 0; k < n; k++) {
            int wo = k * stride / 2;
            int d = k * stride;
            for (int b = 0; b < stride; b += PackedMatrix.BLOCK) {
                for (int h = 0; h < HALF; h += L) {
                    IntVector v = IntVector.fromArray(I, w, wo + b / 2 + h);
                    lo(v, fp16).intoArray(dst, d + b + h);
                    hi(v, fp16).intoArray(dst, d + b + HALF + h);
                }
            }
        }
    }

    // ---- vector helpers for the decoder ----

    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i + L <= n; i += L) {
            acc = FloatVector.fromArray(F, a, ao + i).fma(FloatVector.fromArray(F, b, bo + i), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += a[ao + i] * b[bo + i];
        }
        return s;
    }

    /** {@code y[yo..] += a * x[xo..]} over n elements. */
    static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        FloatVector av = FloatVector.broadcast(F, a);
        int i = 0;
        for (; i + L <= n; i += L) {
            av.fma(FloatVector.fromArray(F, x, xo + i), FloatVector.fromArray(F, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] += a * x[xo + i];
        }
    }
}
