package io.jneuron.cpu.tensor;

import io.jneuron.core.shape.DType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Set;

/**
 * Gets one precision's kernels compiled by C2 before the first real product. The Vector API is only
 * fast once C2 has compiled a loop (the interpreter and C1 run it as objects, ~50x slower), and a
 * 128-token prefill is one long call that otherwise runs mostly before C2 is done with it. Products
 * of a tiny matrix over every token-count path (one-token, 4x4 and PrefillKernels blocks) repeat until
 * they run at compiled speed or a cap is reached; once per precision per JVM. {@code bin/jneuron}
 * lowers C2's thresholds for the CPU backend, which shortens this further.
 */
final class KernelWarmup {
    private static final int MIN_ITERATIONS = 200;
    private static final int MAX_ITERATIONS = 6000;
    /** An iteration of compiled kernels takes ~10 microseconds; interpreted or C1 ones, milliseconds. */
    private static final long COMPILED_NANOS = 100_000;
    private static final Set<DType> DONE = EnumSet.noneOf(DType.class);
    /**
     * Attention shapes {head_dim, first, last, soft-cap} over every path of {@link Kernels#attendHead}: whole
     * 4-vector blocks, a one-vector and a scalar tail, sliding windows, soft-caps. Its loops are long per call,
     * so without many short calls C2 only compiles on-stack replacements of them, and each new call of the
     * first real prefill starts in C1 code (seen: the whole method compiled after the warm-up, mid-prefill).
     */
    private static final int[][] ATTENTION = {{64, 0, 20, 0}, {64, 5, 31, 0}, {64, 17, 31, 0}, {80, 0, 9, 30},
        {7, 2, 3, 0}};
    /**
     * Positions per cache chunk here: smaller than a real cache's, so that the shapes above span one chunk or two
     * and start in either (a real generation's attention soon spans several).
     */
    private static final int CHUNK = 16;

    private KernelWarmup() {
    }

    static synchronized void run(DType dtype) {
        if (!DONE.add(dtype)) {
            return;
        }
        int rows = 8;
        int cols = 32;
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (i % 13 - 6) / 16f;
        }
        PackedMatrix m = mapped(PackedMatrix.pack(dtype, rows, cols, w));
        // One-token products over long rows as well: a real decode copies a 16-bit block in several pieces
        // (Scratch.piece), and the warm-up's 32-column rows in one; C2 would compile the loop for one piece and
        // trap inside the first real generation.
        // 12 rows: JDK 17's fp32 decode takes 8-row blocks, then a 4-row one (VectorKernels.rowsF32); both paths.
        int longCols = 2048;
        int longRowCount = 12;
        float[] lw = new float[longRowCount * longCols];
        for (int i = 0; i < lw.length; i++) {
            lw[i] = (i % 11 - 5) / 16f;
        }
        PackedMatrix longRows = mapped(PackedMatrix.pack(dtype, longRowCount, longCols, lw));
        // Token counts that take every path a real bucket takes, alone and together: C2 compiles a branch
        // the warm-up never took as a trap, and the first real prefill would then fall back to slow code
        // (e.g. a bucket of whole PrefillKernels blocks leaves the 4x4 and one-token loops untaken).
        int b = PrefillKernels.BLOCK;
        int[] counts = {1, 5, 8, b, 2 * b, 3 * b + 5};
        int tokens = 3 * b + 5;
        float[] x = new float[Math.max(tokens * m.stride(), longRows.stride())];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 7 - 3) / 8f;
        }
        float[] out = new float[tokens * rows];
        float[] acc = new float[cols];
        // Two chunks of 16 positions of an 80-dimension head.
        float[][] keys = new float[2][CHUNK * 80];
        float[][] values = new float[2][CHUNK * 80];
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < CHUNK * 80; i++) {
                keys[c][i] = (i % 5 - 2) / 8f;
                values[c][i] = (i % 7 - 3) / 8f;
            }
        }
        float[] head = new float[80];
        // An int8 model's KV cache is 16-bit (see Kernels#attendHead16): the same shapes over that layout instead.
        int[][] keys16 = dtype == DType.INT8 ? new int[2][Kernels.keyCacheInts(CHUNK, 80)] : null;
        int[][] values16 = dtype == DType.INT8 ? new int[2][CHUNK * Kernels.valueInts(80)] : null;
        for (int c = 0; keys16 != null && c < 2; c++) {
            for (int i = 0; i < keys16[c].length; i++) {
                keys16[c][i] = (i % 5 - 2) * 0x3E00_3E00; // bf16 pairs of small values, both halves
            }
            for (int i = 0; i < values16[c].length; i++) {
                values16[c][i] = (i % 3 - 1) * 0x3F00_3F00;
            }
        }
        float sink = 0;
        int fast = 0;
        try (Parallel single = new Parallel(1)) {
            for (int i = 0; i < MAX_ITERATIONS && (i < MIN_ITERATIONS || fast < 50); i++) {
                long t0 = System.nanoTime();
                for (int n : counts) {
                    Kernels.matmul(m, x, m.stride(), n, out, rows, single);
                }
                Kernels.matmul(longRows, x, longRows.stride(), 1, out, rows, single);
                Kernels.axpy(0.5f, x, 0, acc, 0, cols); // cols, not rows: the vector loop must run too
                sink += Kernels.dot(x, 0, x, m.stride(), cols);
                for (int[] a : ATTENTION) {
                    if (keys16 != null) {
                        Kernels.attendHead16(x, 0, keys16, 0, values16, 0, CHUNK, a[0], a[1], a[2], 0.125f, a[3],
                                head, 0);
                    } else {
                        Kernels.attendHead(x, 0, keys, 0, values, 0, CHUNK, a[0], a[1], a[2], 0.125f, a[3], head, 0);
                    }
                }
                Kernels.activate(i % 2 == 0, x, 0, i % 3 == 0 ? null : x, cols, acc, 0, cols - 3);
                // Counted, not required in a row: on a busy machine a preempted iteration is no sign of C1 code.
                fast += System.nanoTime() - t0 < COMPILED_NANOS ? 1 : 0;
            }
        }
        if (Float.isNaN(sink + acc[0] + head[0])) {
            throw new IllegalStateException("kernel warm-up produced NaN");
        }
    }

    /**
     * {@code m}'s bytes mapped from a temporary file, as a loaded artifact's are. On JDK 20+ a segment over a
     * mapping is another class than one over allocated memory; after a warm-up over the latter, C2 had compiled
     * the fp32 loads for it, the model's first products hit class checks, and the recompiled loops took both
     * classes: Temurin 25's fp32 decode ran at 45-118 tok/s from one JVM to the next (bench/README.md, seventh
     * session). {@code m} itself when no temporary file can be made.
     */
    static PackedMatrix mapped(PackedMatrix m) {
        ByteBuffer[] storage = m.storage();
        int chunks = m.chunks();
        try {
            Path file = Files.createTempFile("jneuron-warmup", ".bin");
            // Unlinked once mapped: the mapping keeps the pages, nothing is left behind.
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE)) {
                ByteBuffer[] mapped = new ByteBuffer[chunks];
                long at = 0;
                for (int c = 0; c < chunks; c++) {
                    long size = storage[c].remaining();
                    while (storage[c].hasRemaining()) {
                        ch.write(storage[c], at + storage[c].position());
                    }
                    mapped[c] = ch.map(FileChannel.MapMode.READ_ONLY, at, size);
                    at += (size + 4095) / 4096 * 4096; // page-aligned, as an artifact's matrices are
                }
                return PackedMatrix.wrap(m.dtype(), m.rows(), m.cols(), mapped, m.scales());
            }
        } catch (IOException | UnsupportedOperationException e) {
            return m;
        }
    }
}
