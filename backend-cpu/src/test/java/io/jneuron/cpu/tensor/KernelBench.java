package io.jneuron.cpu.tensor;

import io.jneuron.core.shape.DType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Decode-shaped matrix products alone (one token through every projection of a ~110M Llama: 12
 * layers of qkv, out, gate/up and down, plus the LM head), so kernel speed is seen without attention,
 * norms or sampling. Precisions run interleaved round by round, so a busy machine slows all of them
 * alike; prints per precision the median ms per token, GB/s of weights streamed, and the median of
 * the per-round ratio to the first precision, and GB/s by projection (the down projection's 2048-column rows
 * read differently from the 768-column ones). Run by {@code bench/kernels.sh}; not a test.
 *
 * <p>Arguments: {@code ROUNDS THREADS DTYPE...} (e.g. {@code 15 2 bf16 fp16 fp32}). With
 * {@code -Djneuron.bench.tokens=128} every product takes that many tokens at once (prefill-shaped) and
 * GFLOP/s is printed as well.
 */
public final class KernelBench {
    private static final int HIDDEN = 768;
    private static final int LAYERS = 12;
    private static final int INTER = 2048;
    private static final int VOCAB = 32000;
    /** Tokens per product: 1 is decode; a prompt length makes the products prefill-shaped. */
    private static final int TOKENS = Integer.getInteger("jneuron.bench.tokens", 1);
    /** Passes over every product per round (one prefill-shaped pass already takes ~0.5 s). */
    private static final int TOKENS_PER_ROUND = TOKENS == 1 ? 8 : 1;

    public static void main(String[] args) {
        int rounds = Integer.parseInt(args[0]);
        int threads = Integer.parseInt(args[1]);
        List<DType> dtypes = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            dtypes.add(DType.parse(args[i]));
        }
        List<List<PackedMatrix>> sets = new ArrayList<>();
        long[] bytes = new long[dtypes.size()];
        for (int d = 0; d < dtypes.size(); d++) {
            sets.add(weights(dtypes.get(d)));
            for (PackedMatrix m : sets.get(d)) {
                bytes[d] += m.bytes();
            }
        }
        int xs = PackedMatrix.strideFor(INTER);
        float[] x = new float[TOKENS * xs];
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = i % xs < HIDDEN ? (float) rnd.nextGaussian() : 0f;
        }
        float[] out = new float[TOKENS * VOCAB];
        double[][] ms = new double[dtypes.size()][rounds];
        // Per projection (qkv, out, gate/up, down, LM head): nanoseconds over the timed rounds, and bytes.
        long[][] shapeNanos = new long[dtypes.size()][SHAPES.length];
        long[][] shapeBytes = new long[dtypes.size()][SHAPES.length];
        for (int d = 0; d < dtypes.size(); d++) {
            List<PackedMatrix> set = sets.get(d);
            for (int i = 0; i < set.size(); i++) {
                shapeBytes[d][shape(i, set.size())] += set.get(i).bytes();
            }
        }
        try (Parallel par = new Parallel(threads)) {
            for (int warm = 0; warm < 3; warm++) {
                for (List<PackedMatrix> set : sets) {
                    token(set, x, out, par, null);
                }
            }
            for (int r = 0; r < rounds; r++) {
                for (int d = 0; d < dtypes.size(); d++) {
                    long t0 = System.nanoTime();
                    for (int k = 0; k < TOKENS_PER_ROUND; k++) {
                        token(sets.get(d), x, out, par, shapeNanos[d]);
                    }
                    ms[d][r] = (System.nanoTime() - t0) / 1e6 / TOKENS_PER_ROUND;
                }
            }
        }
        System.out.printf(Locale.ROOT, "%s products, %d threads, %d rounds x %d passes, %s%n",
                TOKENS == 1 ? "decode-shaped" : TOKENS + "-token prefill-shaped", threads, rounds, TOKENS_PER_ROUND,
                Kernels.describe());
        long macs = 0;
        for (PackedMatrix m : sets.get(0)) {
            macs += (long) m.rows() * m.cols();
        }
        for (int d = 0; d < dtypes.size(); d++) {
            double[] ratio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratio[r] = ms[0][r] / ms[d][r];
            }
            double med = median(ms[d]);
            System.out.printf(Locale.ROOT, "%-5s %7.1f MB  %7.2f ms/token (min %.2f max %.2f)  %6.1f tok/s  %5.1f GB/s"
                            + "  speed vs %s %.2fx%n", dtypes.get(d), bytes[d] / 1e6, med, min(ms[d]), max(ms[d]),
                    1000 / med, bytes[d] / med / 1e6, dtypes.get(0), median(ratio));
            StringBuilder shapes = new StringBuilder();
            for (int k = 0; k < SHAPES.length; k++) {
                shapes.append(String.format(Locale.ROOT, " %s %.1f", SHAPES[k],
                        shapeBytes[d][k] * (double) rounds * TOKENS_PER_ROUND / shapeNanos[d][k]));
            }
            System.out.printf(Locale.ROOT, "%-5s GB/s by projection (mean over the rounds):%s%n", dtypes.get(d), shapes);
            if (TOKENS > 1) {
                System.out.printf(Locale.ROOT, "%-5s %7.1f GFLOP/s (%d tokens per product; the LM head included)%n",
                        dtypes.get(d), 2.0 * macs * TOKENS / med / 1e6, TOKENS);
            }
        }
    }

    private static final String[] SHAPES = {"qkv", "out", "gate/up", "down", "head"};

    /** The projection of product i of a set of n (see {@link #weights}). */
    private static int shape(int i, int n) {
        return i == n - 1 ? 4 : i % 4;
    }

    /**
     * One round's unit: every product over {@link #TOKENS} tokens (x rows INTER's stride apart); each product's
     * time added to {@code nanos} by projection when given.
     */
    private static void token(List<PackedMatrix> set, float[] x, float[] out, Parallel par, long[] nanos) {
        int xs = PackedMatrix.strideFor(INTER);
        for (int i = 0; i < set.size(); i++) {
            PackedMatrix m = set.get(i);
            long t0 = System.nanoTime();
            Kernels.matmul(m, x, xs, TOKENS, out, m.rows(), par);
            if (nanos != null) {
                nanos[shape(i, set.size())] += System.nanoTime() - t0;
            }
        }
    }

    private static List<PackedMatrix> weights(DType dtype) {
        SplittableRandom rnd = new SplittableRandom(dtype.ordinal());
        List<PackedMatrix> set = new ArrayList<>();
        for (int l = 0; l < LAYERS; l++) {
            set.add(random(dtype, 3 * HIDDEN, HIDDEN, rnd));
            set.add(random(dtype, HIDDEN, HIDDEN, rnd));
            set.add(random(dtype, 2 * INTER, HIDDEN, rnd));
            set.add(random(dtype, HIDDEN, INTER, rnd));
        }
        set.add(random(dtype, VOCAB, HIDDEN, rnd));
        return set;
    }

    private static PackedMatrix random(DType dtype, int rows, int cols, SplittableRandom rnd) {
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rnd.nextGaussian() * 0.02);
        }
        return PackedMatrix.pack(dtype, rows, cols, w);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(0);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(0);
    }
}
