package io.jneuron.cpu.tensor;

/**
 * Every per-thread scratch array of the kernels, each reused by its thread's next call: the transposed
 * activations of a prefill product and its register tile's sums, fp16's pre-scaled activations, attention
 * scores, and the rows copies described here.
 * The 16-bit and int8 kernels copy a block of weight rows into a scratch. The weights
 * stay in their mapped buffers; a kernel bulk-copies 4 rows at a time with absolute bulk gets (16-bit rows
 * in pieces of at most {@link #COPY_PIECE} bytes; the copy stays in L1) and runs array loads on the copy. Vector loads
 * straight from a buffer measured slower: JDK 17's {@code fromByteBuffer} keeps per-load checks in the
 * loop (bounds against {@code limit()}, the buffer's address and session), and on JDK 25 int8 through
 * {@code fromMemorySegment} is slower too (bench/README.md). Memory traffic is the same and the scratch
 * is reused, so nothing grows with the model. fp32 decode, bound by bandwidth, stays on direct loads, as do bf16
 * and int8 decode over long rows on JDK 20+ (see {@code VectorKernels.rowsPacked}, {@code Int8Kernels.rows}).
 */
final class Scratch {
    private static final ThreadLocal<float[]> WIDE = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<float[]> SCALED = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<float[]> TRANSPOSED = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<float[]> SCORES = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<int[]> INTS = ThreadLocal.withInitial(() -> new int[0]);
    private static final ThreadLocal<byte[]> BYTES = ThreadLocal.withInitial(() -> new byte[0]);

    /**
     * The largest piece one bulk copy takes. Copies of up to ~3 KB out of a mapped buffer ran at 43 GB/s
     * on one thread, 4 KB and more at 30-34 (JDK 17, this machine, bench/README.md), so a block of 16-bit
     * rows is copied in pieces. int8's 4-row blocks measured best whole.
     */
    static final int COPY_PIECE = 3072;

    private Scratch() {
    }

    /** {@code n} ints from {@code src} at {@code at} into {@code dst}, in pieces of {@code piece} bytes (see {@link #piece}). */
    static void copy(java.nio.IntBuffer src, int at, int[] dst, int n, int piece) {
        for (int done = 0; done < n; done += piece / 4) {
            src.get(at + done, dst, done, Math.min(piece / 4, n - done));
        }
    }

    /**
     * Bytes per bulk copy for rows of {@code rowBytes}: as many whole rows as fit in {@link #COPY_PIECE}, else
     * 2 KB pieces (a 4 KB row in halves measured 3-8% faster than 3 KB and 1 KB pieces).
     */
    static int piece(int rowBytes) {
        return rowBytes <= COPY_PIECE ? COPY_PIECE / rowBytes * rowBytes : 2048;
    }

    /** fp32 scratch (16-bit and int8 rows widened for prefill), at least {@code n} long. */
    static float[] wide(int n) {
        return floats(WIDE, n);
    }

    /** fp16's pre-scaled activations (see {@code VectorKernels.scaledX}), at least {@code n} long. */
    static float[] scaled(int n) {
        return floats(SCALED, n);
    }

    /** A prefill product's transposed activations (see {@link PrefillKernels#transpose}), at least {@code n} long. */
    static float[] transposed(int n) {
        return floats(TRANSPOSED, n);
    }

    /** A prefill register tile's sums on their way to the output (see {@link PrefillKernels}), at least {@code n} long. */
    static float[] tile(int n) {
        return floats(TILE, n);
    }

    /** One attention head's scores (see {@link Kernels#attendHead}), at least {@code n} long. */
    static float[] scores(int n) {
        return floats(SCORES, n);
    }

    private static float[] floats(ThreadLocal<float[]> local, int n) {
        float[] a = local.get();
        if (a.length < n) {
            a = new float[n];
            local.set(a);
        }
        return a;
    }

    /** This thread's packed 16-bit rows scratch (two weights per int), at least {@code n} long. */
    static int[] ints(int n) {
        int[] a = INTS.get();
        if (a.length < n) {
            a = new int[n];
            INTS.set(a);
        }
        return a;
    }

    /** This thread's int8 rows scratch, at least {@code n} long. */
    static byte[] bytes(int n) {
        byte[] a = BYTES.get();
        if (a.length < n) {
            a = new byte[n];
            BYTES.set(a);
        }
        return a;
    }
}
