package io.jneuron.cpu.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A tiny fork-join for the decoder's hot loops: {@code threads - 1} daemon workers plus the caller.
 * Decode runs ~50 parallel regions per token, so hand-off latency matters more than generality.
 * A region is cut into chunks that the caller and the workers claim from a shared counter: when a
 * worker is slow to wake (a busy machine), the caller simply takes its chunks, so a region never
 * waits for a thread that has not started. Chunks follow a guided schedule: each claims a share of what is
 * left, down to a small minimum, so the threads start on long contiguous runs and end within one small chunk of
 * each other. A {@linkplain #forRange(int, int, long, boolean, RangeBody) streaming} region (decode's products,
 * which read their weights from memory once) claims {@code 1 / threads} (with 2 threads: a half, a quarter, an
 * eighth...): one long run per thread keeps the hardware prefetchers going where many short ones restart them
 * (against chunks capped at an eighth of the region, decode 6-16% faster in interleaved pairs; bench/README.md). Other
 * regions, bound by compute, claim {@code 1 / (2 threads)} (prefill-shaped bf16 products ran 0.88x with halves).
 * Idle workers spin briefly, then park. Not reentrant: one region at a time (a session is used by one thread).
 */
public final class Parallel implements AutoCloseable {
    /** How long an idle worker spins before parking; short, so an idle notebook burns no CPU. */
    private static final long SPIN_NANOS = 100_000;
    /**
     * How long an idle worker parks 10 ms at a time (as it always did within a generation) before it parks until
     * woken.
     */
    private static final long IDLE_NANOS = 1_000_000_000L;
    /** How long the caller spins at a region's end before yielding while a worker finishes. */
    private static final long BARRIER_SPIN_NANOS = Long.getLong("jneuron.cpu.barrierSpinNanos", 20_000);
    /** Work (roughly multiply-adds) of the smallest chunk: about a microsecond, so claims stay cheap. */
    private static final long MIN_CHUNK_WORK = 1L << 14;
    /** Work (roughly multiply-adds) below which a region runs on the caller alone. */
    static final long MIN_PARALLEL_WORK = 1L << 17;

    /** A body run over {@code [from, to)} of a region's index space. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** One region: published whole through a volatile field, so a late worker never mixes regions. */
    private static final class Task {
        final RangeBody body;
        final int n;
        final int align;
        final int minChunk;
        final int shares;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile Throwable failure;

        Task(RangeBody body, int n, int align, int minChunk, int shares) {
            this.body = body;
            this.n = n;
            this.align = align;
            this.minChunk = minChunk;
            this.shares = shares;
        }

        /** The end of the chunk that starts at {@code from}: {@code 1 / shares} of what is left, aligned, at least minChunk. */
        int end(int from) {
            int size = Math.max(minChunk, (n - from) / shares);
            size = (size + align - 1) / align * align;
            return Math.min(n, from + size);
        }

        /** Claims and runs chunks until none are left. */
        void work() {
            int from;
            while ((from = next.get()) < n) {
                int to = end(from);
                if (!next.compareAndSet(from, to)) {
                    continue;
                }
                try {
                    body.run(from, to);
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    done.addAndGet(to - from);
                }
            }
        }
    }

    private final int threads;
    private final Thread[] workers;
    private volatile Task current;
    private volatile long generation;
    private volatile boolean closed;

    public Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Thread(this::workerLoop, "jneuron-cpu-" + (i + 1));
            workers[i].setDaemon(true);
            workers[i].start();
        }
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over {@code [0, n)} in chunks aligned to {@code align}; problems below
     * {@link #MIN_PARALLEL_WORK} ({@code n * costPerItem}) run on the caller alone. Chunks of a compute-bound region.
     */
    public void forRange(int n, int align, long costPerItem, RangeBody body) {
        forRange(n, align, costPerItem, false, body);
    }

    /**
     * {@link #forRange(int, int, long, RangeBody)}, with {@code streaming} for a body that streams its items from
     * memory (a decode product's weight rows): its chunks take {@code 1 / threads} of what is left, not half that.
     */
    public void forRange(int n, int align, long costPerItem, boolean streaming, RangeBody body) {
        if (n <= 0) {
            return;
        }
        if (threads == 1 || (long) n * costPerItem < MIN_PARALLEL_WORK || n <= align) {
            body.run(0, n);
            return;
        }
        if (closed) {
            throw new IllegalStateException("Parallel pool is closed");
        }
        long minItems = Math.max(1, MIN_CHUNK_WORK / Math.max(1, costPerItem));
        int minChunk = (int) Math.min(n, (minItems + align - 1) / align * align);
        Task task = new Task(body, n, align, minChunk, streaming ? threads : 2 * threads);
        current = task;
        generation++; // wakes spinning workers; parked ones are unparked below
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        task.work();
        // A worker preempted mid-chunk holds the region for a scheduler slice; after a short spin the
        // caller yields its core (on a busy 2-core machine it may be the one the worker needs).
        long spinStart = 0;
        while (task.done.get() < task.n) {
            if (spinStart == 0) {
                spinStart = System.nanoTime();
            } else if (System.nanoTime() - spinStart > BARRIER_SPIN_NANOS) {
                Thread.yield();
                continue;
            }
            Thread.onSpinWait();
        }
        current = null;
        Throwable t = task.failure;
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    private void workerLoop() {
        long seen = 0;
        while (!closed) {
            long spinStart = System.nanoTime();
            while (generation == seen && !closed) {
                long idle = System.nanoTime() - spinStart;
                if (idle < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else if (idle < IDLE_NANOS) {
                    // Timed as a backstop: the generation check above runs again within 10 ms, unparked or not.
                    LockSupport.parkNanos(this, 10_000_000L);
                } else {
                    // Idle for a while (a notebook keeps a model loaded between cells): no more timed wake-ups.
                    // Every region and close() unpark after their write, and an unpark before the park leaves
                    // its permit, so none is missed.
                    LockSupport.park(this);
                }
            }
            seen = generation;
            Task task = current;
            if (task != null) {
                task.work();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }
}
