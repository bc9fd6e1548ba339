package io.jneuron.cpu.decoder;

import io.jneuron.core.shape.BucketPlan;
import io.jneuron.core.shape.ShapeSpec;
import io.jneuron.cpu.tensor.Kernels;
import io.jneuron.cpu.tensor.Parallel;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * A warm-up at load, as optimum-neuron runs one over a model's buckets: the kernels of the model's
 * precision are compiled first ({@link Kernels#warmUp}), then short prefills and decode steps run
 * through the real weights and code paths (norms, attention, activation, LM head) in throw-away
 * sessions of batch 1 and 16 positions (an 8-token prefill, 3 decode steps), so their KV caches cost next to nothing. The time is part of
 * the load time callers report.
 *
 * <p>One pass is not enough: it only queues the decoder's loops (attention, norms) for C2, and on a
 * 2-core machine the compiler thread is still working through that queue when the first real prefill
 * starts, which then runs its O(n^2) attention in C1 code, where Vector API calls allocate objects.
 * So after each pass the warm-up waits, leaving the CPU to the compiler, until no compilation has
 * finished for a moment, and runs another pass, until a pass needs (next to) no compilation, with a
 * cap for a machine too busy to settle. {@code bin/jneuron} and the kernel lower C2's thresholds for
 * the CPU backend's classes, so one or two passes queue everything.
 * {@code -Djneuron.cpu.warmup=false} turns it off (to measure the cold penalty it removes).
 */
public final class DecoderWarmup {
    private static final int POSITIONS = 16;
    private static final int PROMPT = 8;
    private static final int DECODE_STEPS = 3;
    /** Passes when the JVM cannot report compilation time. */
    private static final int MIN_PASSES = 3;
    private static final int MAX_PASSES = 4;
    /** A cap for a machine too busy to let the compiler finish; the first generation is then slower. */
    private static final long MAX_NANOS = Long.getLong("jneuron.cpu.warmupMaxMs", 3000) * 1_000_000L;
    /** The compiler counts as idle after this long without finishing a compilation. */
    private static final long QUIET_MS = 30;

    private DecoderWarmup() {
    }

    public static boolean enabled() {
        return !"false".equals(System.getProperty("jneuron.cpu.warmup"));
    }

    /** Runs the warm-up and returns the number of passes made (0 when disabled). */
    public static int run(DecoderWeights weights, Parallel par) {
        if (!enabled()) {
            return 0;
        }
        long start = System.nanoTime();
        Kernels.warmUp(weights.shape().dtype());
        long kernelsMs = (System.nanoTime() - start) / 1_000_000L;
        int seq = Math.min(POSITIONS, weights.shape().sequenceLength());
        int prompt = Math.max(1, Math.min(PROMPT, seq - 2));
        ShapeSpec small = new ShapeSpec(1, seq, new BucketPlan(List.of(prompt)), weights.shape().dtype());
        DecoderWeights shaped = weights.withShape(small);
        int[] tokens = new int[prompt];
        for (int i = 0; i < prompt; i++) {
            tokens[i] = i % weights.config().vocabSize();
        }
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean watch = jit != null && jit.isCompilationTimeMonitoringSupported();
        pass(shaped, par, tokens, seq);
        int passes = 1;
        while (passes < (watch ? MAX_PASSES : MIN_PASSES) && System.nanoTime() - start < MAX_NANOS) {
            if (watch) {
                awaitQuiet(jit, start);
            }
            long compiled = watch ? jit.getTotalCompilationTime() : 0;
            long passStart = System.nanoTime();
            pass(shaped, par, tokens, seq);
            passes++;
            // A pass that needed little compilation (small per-call methods reaching C2 late) ran on
            // compiled code throughout.
            long passMs = (System.nanoTime() - passStart) / 1_000_000L;
            if (watch && jit.getTotalCompilationTime() - compiled <= Math.max(2, passMs / 10)) {
                break;
            }
        }
        if (Boolean.getBoolean("jneuron.cpu.warmupLog")) {
            System.err.printf(java.util.Locale.ROOT, "jneuron: warm-up %.0f ms: kernels %d ms, %d passes%n",
                    (System.nanoTime() - start) / 1e6, kernelsMs, passes);
        }
        return passes;
    }

    /** One prefill of the warm-up bucket and a few decode steps (each reads every weight once). */
    private static void pass(DecoderWeights shaped, Parallel par, int[] tokens, int seq) {
        int vocab = shaped.config().vocabSize();
        try (DecoderSession s = new DecoderSession(shaped, par)) {
            s.prefill(new int[][] {tokens}, new int[] {tokens.length});
            for (int p = tokens.length; p < Math.min(seq, tokens.length + DECODE_STEPS); p++) {
                s.decode(new int[] {p % vocab});
            }
        }
    }

    /**
     * Waits (leaving the CPU to the compiler threads) until no compilation has finished for
     * {@link #QUIET_MS}, or the warm-up's time is up.
     */
    private static void awaitQuiet(CompilationMXBean jit, long start) {
        long last = jit.getTotalCompilationTime();
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < QUIET_MS * 1_000_000L && System.nanoTime() - start < MAX_NANOS) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = jit.getTotalCompilationTime();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            }
        }
    }
}
