package io.jneuron.cpu.decoder;

import io.jneuron.core.generate.Sampler;
import io.jneuron.core.model.DecoderTraits;
import io.jneuron.core.shape.BucketPlan;
import io.jneuron.core.shape.ShapeSpec;
import io.jneuron.cpu.tensor.Kernels;
import io.jneuron.cpu.tensor.Parallel;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A warm-up at load, as optimum-neuron runs one over a model's buckets: the kernels of the model's
 * precision are compiled first ({@link Kernels#warmUp}), then passes of short generations run through
 * the real weights and code paths (norms, attention, activation, LM head) in throw-away sessions of
 * batch 1. The time is part of the load time callers report.
 *
 * <p>A pass is an 8-token prefill with 3 decode steps through every layer, and a prefill of the model's
 * smallest bucket with one decode step through the first layers, up to one of each kind (sliding window
 * or not, positions or not; every layer runs the same code). The bucket-long prefill is what the first
 * real prefill runs: without it, the blocked prefill products of whole token blocks and attention over
 * a bucket of keys met C2 code compiled from a profile that never took them (a trap, then C1 code) or
 * still ran at C1's level, and the first prefill ran at half speed.
 *
 * <p>One pass is not enough: it only queues the decoder's loops (attention, norms) for C2, and on a
 * 2-core machine the compiler thread is still working through that queue when the first real prefill
 * starts, which then runs its O(n^2) attention in C1 code, where Vector API calls allocate objects.
 * So after each pass the warm-up waits, leaving the CPU to the compiler, until C2 has been idle for a
 * moment (its threads' CPU time on Linux, see {@link CompilerCpu}; elsewhere, no compilation finished),
 * and runs another pass, until a pass needs (next to) no compilation, with a
 * cap for a machine too busy to settle. The first pass is the short generation through the first
 * layers alone, so nothing long runs before C2 has started. {@code bin/jneuron} and the kernel lower
 * C2's thresholds for the CPU backend's classes, so a few passes queue everything.
 * It ends with one more wait, so what the last pass queued is not compiled during the first real prefill.
 * {@code -Djneuron.cpu.warmup=false} turns it off (to measure the cold penalty it removes).
 */
public final class DecoderWarmup {
    private static final int DECODE_STEPS = 3;
    /** Passes when the JVM cannot report compilation time. */
    private static final int MIN_PASSES = 3;
    private static final int MAX_PASSES = 6;
    /**
     * Caps from the third pass on. One on the warm-up thread's CPU time, the work done: on a busy machine the
     * same passes take longer, and a wall-time cap there cut the warm-up to 2 passes, which left C2 compiling
     * the kernels inside the first real prefill. One on wall time, for a machine too busy to let the
     * compiler finish.
     */
    private static final long MAX_NANOS = Long.getLong("jneuron.cpu.warmupMaxMs", 3000) * 1_000_000L;
    private static final long MAX_WALL_NANOS = Long.getLong("jneuron.cpu.warmupMaxWallMs", 10_000) * 1_000_000L;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** The compiler counts as idle after this long without compiling (see {@link #awaitQuiet}). */
    private static final long QUIET_MS = 30;
    private static final long POLL_MS = 5;
    /** C2's CPU time within one poll that counts as compiling (a fifth of a core; see {@link #busy}). */
    private static final long BUSY_NANOS = 1_000_000;
    /** The longest {@link #settle} waits. */
    private static final long SETTLE_MAX_NANOS = 1_000_000_000L;

    private DecoderWarmup() {
    }

    public static boolean enabled() {
        return !"false".equals(System.getProperty("jneuron.cpu.warmup"));
    }

    /**
     * Runs the warm-up and returns the number of passes made (0 when disabled). {@code modelPool} is the pool the
     * model's real sessions take their buffers from.
     */
    public static int run(DecoderWeights weights, Parallel par, BufferPool modelPool) {
        if (!enabled()) {
            return 0;
        }
        long start = System.nanoTime();
        long cpuStart = cpuNanos();
        // The first real session's KV cache and activations (tens of MB), allocated now into the model's pool:
        // new, they sit in the young generation, and the first prefill's young collections would copy them to the
        // old one (~100 ms of GC in an fp32 prefill, whose kernels allocate). The passes' collections do it here.
        // No full collection here: one at this point was measured with slow first prefills in the JDK 17 kernel
        // (bench/README.md, seventh session). bin/jneuron has its one before the load (ModelOpener).
        // Its cache chunks for the smallest bucket's prefill and first decode step; further chunks come when a
        // generation reaches them.
        try (DecoderSession first = new DecoderSession(weights, par, modelPool)) {
            first.reserve(weights.shape().buckets().sizes().get(0) + 1);
        }
        Kernels.warmUp(weights.shape().dtype());
        long kernelsMs = (System.nanoTime() - start) / 1_000_000L;
        Session[] sessions = {shortSession(weights, false), bucketSession(weights)};
        // The passes' sessions take the first real session's buffers where the shapes match (the bucket-long prefill's
        // activations): arrays of their own would be ~6 MB more of the load's garbage in the old generation.
        BufferPool pool = modelPool.borrower();
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean watch = jit != null && jit.isCompilationTimeMonitoringSupported();
        StringBuilder log = new StringBuilder();
        long first = System.nanoTime();
        pass(new Session[] {shortSession(weights, true)}, par, pool);
        log.append((System.nanoTime() - first) / 1_000_000L);
        int passes = 1;
        // The second pass runs even past the cap: it is the first with the bucket-long prefill, and a first real
        // prefill without it runs at C1's speed for longer than the pass takes.
        int maxPasses = watch ? MAX_PASSES : MIN_PASSES;
        while (passes < maxPasses && (passes < 2 || timeLeft(start, cpuStart))) {
            if (watch) {
                awaitQuiet(jit, start);
            }
            long compiled = watch ? jit.getTotalCompilationTime() : 0;
            long passStart = System.nanoTime();
            pass(sessions, par, pool);
            passes++;
            // A pass that needed little compilation (small per-call methods reaching C2 late) ran on
            // compiled code throughout.
            long passMs = (System.nanoTime() - passStart) / 1_000_000L;
            log.append(' ').append(passMs);
            if (watch && jit.getTotalCompilationTime() - compiled <= Math.max(2, passMs / 10)) {
                break;
            }
        }
        pool.giveBack();
        // What the last pass queued (per-call methods such as embed or prefill reaching C2 there) is compiled
        // now, not on the cores of the first real prefill.
        if (watch) {
            awaitQuiet(jit, start);
        }
        if (Boolean.getBoolean("jneuron.cpu.warmupLog")) {
            System.err.printf(java.util.Locale.ROOT, "jneuron: warm-up %.0f ms: kernels %d ms, %d passes (%s ms), "
                    + "ends at JVM uptime %d ms%n", (System.nanoTime() - start) / 1e6, kernelsMs, passes, log,
                    ManagementFactory.getRuntimeMXBean().getUptime());
        }
        return passes;
    }

    /**
     * The first layers, up to one of each kind: with or without a sliding window, with or without positions
     * (Gemma 2 and 3, SmolLM3 mix them); a layer's index picks its kind, so this is a prefix.
     */
    static int layersToRun(DecoderWeights w) {
        DecoderTraits t = w.config().traits();
        Set<List<Boolean>> kinds = new HashSet<>();
        int n = 1;
        for (int l = 0; l < w.layers().size(); l++) {
            if (kinds.add(List.of(t.window(l) > 0, t.rope(l)))) {
                n = l + 1;
            }
        }
        return n;
    }

    /** A warm-up session: its weights and shapes, the padded prompt, its length, and the decode steps after it. */
    private record Session(DecoderWeights weights, int[] tokens, int prompt, int steps) {
    }

    /** An 8-token prompt and 3 decode steps, through every layer or through the first layers only. */
    private static Session shortSession(DecoderWeights w, boolean firstLayers) {
        int seq = Math.min(16, w.shape().sequenceLength());
        int prompt = Math.max(1, Math.min(8, seq - 2));
        ShapeSpec shape = new ShapeSpec(1, seq, new BucketPlan(List.of(prompt)), w.shape().dtype());
        DecoderWeights shaped = firstLayers ? firstLayers(w, seq, prompt) : w.withShape(shape);
        return new Session(shaped, tokens(w, prompt, prompt), prompt, Math.min(DECODE_STEPS, seq - prompt));
    }

    /**
     * The smallest real bucket and one decode step after it: the kernels' blocked prefill paths and attention
     * over a bucket of keys, with the shapes the first real prefill has.
     */
    private static Session bucketSession(DecoderWeights w) {
        int bucket = w.shape().buckets().sizes().get(0);
        int seq = Math.min(w.shape().sequenceLength(), bucket + 1);
        int prompt = Math.max(1, Math.min(bucket, seq - 1));
        return new Session(firstLayers(w, seq, bucket), tokens(w, bucket, prompt), prompt, seq - prompt);
    }

    /** The weights of the first {@link #layersToRun} layers, for batch 1, {@code seq} positions and one bucket. */
    private static DecoderWeights firstLayers(DecoderWeights w, int seq, int bucket) {
        ShapeSpec shape = new ShapeSpec(1, seq, new BucketPlan(List.of(bucket)), w.shape().dtype());
        return new DecoderWeights(w.config(), shape, w.tokenEmbedding(), w.positionEmbedding(),
                w.layers().subList(0, layersToRun(w)), w.finalNormWeight(), w.finalNormBias(), w.lmHead());
    }

    private static int[] tokens(DecoderWeights w, int bucket, int prompt) {
        int[] t = new int[bucket];
        for (int i = 0; i < prompt; i++) {
            t[i] = i % w.config().vocabSize();
        }
        return t;
    }

    /** One pass: each session's prefill and decode steps; the pool keeps one pass's buffers for the next. */
    private static void pass(Session[] sessions, Parallel par, BufferPool pool) {
        for (Session x : sessions) {
            try (DecoderSession s = new DecoderSession(x.weights(), par, pool)) {
                // Each next token is greedy's choice, as the generator makes it (Sampler.argmax, a loop over the
                // vocabulary that otherwise first runs interpreted inside the first real prefill's timing).
                float[][] logits = s.prefill(new int[][] {x.tokens()}, new int[] {x.prompt()});
                for (int i = 0; i < x.steps(); i++) {
                    logits = s.decode(new int[] {Sampler.argmax(logits[0])});
                }
            }
        }
    }

    /**
     * Before a generation on a model loaded earlier (see {@code LoadedModel.settle}): when the compiler is busy, waits
     * until it has been idle for {@link #QUIET_MS}, at most {@link #SETTLE_MAX_NANOS}; returns the nanoseconds waited,
     * the first look (one poll) included, 0 when the warm-up is off. A Java cell between two generations sets off
     * hundreds of C2 compiles of javac (a notebook kernel compiles cells with JShell), which took a core from the next
     * generation (prefill 0.35-0.6 of the cell before it, bench/README.md).
     */
    public static long settle() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (!enabled() || jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return 0;
        }
        long start = System.nanoTime();
        if (compiling(jit)) {
            awaitQuiet(jit, start, SETTLE_MAX_NANOS);
        }
        return System.nanoTime() - start;
    }

    /** Whether the compiler works now: its activity ({@link #reading}) moving over one poll. */
    private static boolean compiling(CompilationMXBean jit) {
        long first = CompilerCpu.nanos();
        boolean cpu = first >= 0;
        long before = cpu ? first : jit.getTotalCompilationTime();
        return pause() && busy(before, reading(jit, cpu), cpu);
    }

    /** The compiler's activity so far: the C2 threads' CPU time ({@code cpu}, Linux), else the JVM's compile time. */
    private static long reading(CompilationMXBean jit, boolean cpu) {
        return cpu ? CompilerCpu.nanos() : jit.getTotalCompilationTime();
    }

    /** Whether the compiler worked between two readings: a fifth of a core, or any compilation finished. */
    private static boolean busy(long before, long after, boolean cpu) {
        return cpu ? after - before > BUSY_NANOS : after != before;
    }

    /** Sleeps one poll; false when interrupted (the flag is set again). */
    private static boolean pause() {
        try {
            Thread.sleep(POLL_MS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean timeLeft(long start, long cpuStart) {
        return System.nanoTime() - start < MAX_WALL_NANOS && cpuNanos() - cpuStart < MAX_NANOS;
    }

    /** This thread's CPU time (it runs its share of every pass), or wall time where the JVM cannot tell. */
    private static long cpuNanos() {
        long t = THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
        return t >= 0 ? t : System.nanoTime();
    }

    /**
     * Waits (leaving the CPU to the compiler threads) until the compiler has been idle for {@link #QUIET_MS},
     * or the warm-up's time is up. Idle is read from the C2 threads' CPU time ({@link CompilerCpu}):
     * a compilation in progress counts, where the JVM's own counter only moves when one ends, and a long one
     * (a 30 ms C2 compile of the decoder's prefill, queued by the last pass) would run on into the first real
     * prefill. Without that (not Linux), until no compilation has finished for {@link #QUIET_MS}.
     */
    private static void awaitQuiet(CompilationMXBean jit, long start) {
        awaitQuiet(jit, start, MAX_WALL_NANOS);
    }

    /** {@link #awaitQuiet(CompilationMXBean, long)} with its own bound: until {@code maxNanos} after {@code start}. */
    private static void awaitQuiet(CompilationMXBean jit, long start, long maxNanos) {
        long first = CompilerCpu.nanos();
        boolean cpu = first >= 0;
        long last = cpu ? first : jit.getTotalCompilationTime();
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < QUIET_MS * 1_000_000L
                && System.nanoTime() - start < maxNanos) {
            if (!pause()) {
                return;
            }
            long now = reading(jit, cpu);
            if (busy(last, now, cpu)) {
                quietSince = System.nanoTime();
            }
            last = now;
        }
    }
}
