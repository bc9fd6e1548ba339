package io.jneuron.cpu.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A tiny fork-join for the decoder's hot loops: {@code threads - 1} daemon workers plus the caller.
 * Decode runs ~50 parallel regions per token, so hand-off latency matters more than generality:
 * workers spin briefly on a generation counter before parking, and the caller always takes the first
 * share itself. Not reentrant; one region at a time (a session is used by one thread).
 */
public final class Parallel implements AutoCloseable {
    /** How long an idle worker spins before parking; short, so an idle notebook burns no CPU. */
    private static final long SPIN_NANOS = 200_000;

    /** A body run over {@code [from, to)} of a region's index space. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private final int threads;
    private final Worker[] workers;
    private volatile long generation;
    private volatile RangeBody body;
    private volatile int total;
    private volatile int grain;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Throwable failure;
    private volatile boolean closed;

    public Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i + 1);
            Thread t = new Thread(workers[i], "jneuron-cpu-" + (i + 1));
            t.setDaemon(true);
            workers[i].thread = t;
            t.start();
        }
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into {@link #threads()} contiguous shares aligned to
     * {@code align}; small problems ({@code n * costPerItem < minWork}) run on the caller alone.
     */
    public void forRange(int n, int align, long costPerItem, RangeBody body) {
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
        int chunks = (n + align - 1) / align;
        int perThread = (chunks + threads - 1) / threads;
        this.grain = perThread * align;
        this.total = n;
        this.body = body;
        this.failure = null;
        pending.set(threads - 1);
        generation++; // publishes body/total/grain to the workers
        for (Worker w : workers) {
            if (w.parked) {
                LockSupport.unpark(w.thread);
            }
        }
        Throwable mine = null;
        try {
            body.run(0, Math.min(n, grain));
        } catch (Throwable t) {
            mine = t;
        }
        while (pending.get() > 0) {
            Thread.onSpinWait();
        }
        this.body = null;
        Throwable theirs = failure;
        if (mine != null || theirs != null) {
            Throwable t = mine != null ? mine : theirs;
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(t);
        }
    }

    /** Work (roughly multiply-adds) below which a region is not worth the hand-off. */
    static final long MIN_PARALLEL_WORK = 16_384;

    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) {
            LockSupport.unpark(w.thread);
        }
    }

    private final class Worker implements Runnable {
        private final int index;
        volatile boolean parked;
        Thread thread;
        private long seen;

        Worker(int index) {
            this.index = index;
        }

        @Override
        public void run() {
            while (!closed) {
                long spinStart = System.nanoTime();
                while (generation == seen && !closed) {
                    if (System.nanoTime() - spinStart < SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        parked = true;
                        if (generation == seen && !closed) {
                            LockSupport.parkNanos(this, 50_000_000L);
                        }
                        parked = false;
                    }
                }
                if (closed) {
                    return;
                }
                seen = generation;
                int from = index * grain;
                int to = Math.min(total, from + grain);
                try {
                    if (from < to) {
                        body.run(from, to);
                    }
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    pending.decrementAndGet();
                }
            }
        }
    }
}
