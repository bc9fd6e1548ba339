package io.jneuron.kernel;

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a cell's user work (a snippet's body or a whole-cell magic) on a worker thread so that
 * {@link #interrupt()}, called from the control channel's thread, can stop it. Thread-safe.
 *
 * <p>Interrupting is cooperative: generation and export check the interrupt flag between steps and stop;
 * {@code Thread.sleep} and blocking I/O stop; a busy loop that never checks keeps running on its own
 * thread (Java has no safe way to kill it), while the cell returns at once. A cached pool, not a single
 * thread, so such a runaway thread never blocks the next cell.
 */
final class CellWorker {
    /** Thrown to the waiting thread when the cell was interrupted. */
    static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Interrupted() {
            super("interrupted");
        }
    }

    private final ExecutorService pool;
    private volatile Future<?> current;

    CellWorker(ClassLoader contextLoader) {
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "jneuron-cell-" + n.incrementAndGet());
            t.setDaemon(true);
            // Snippet classes live in JShell's loader; code that looks classes up by name needs it.
            t.setContextClassLoader(contextLoader);
            return t;
        });
    }

    /** Runs {@code work} and waits; its exception is rethrown as is (checked ones unchanged). */
    <T> T run(Callable<T> work) throws Exception {
        Future<T> f = pool.submit(work);
        // A magic such as %load runs cells itself: restore the outer work when the inner ends.
        Future<?> outer = current;
        current = f;
        try {
            return f.get();
        } catch (CancellationException e) {
            throw new Interrupted();
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new Interrupted();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof Exception ex) {
                throw ex;
            }
            throw (Error) c;
        } finally {
            current = outer;
        }
    }

    /** Interrupts the running work, if any; returns whether there was some. */
    boolean interrupt() {
        Future<?> f = current;
        return f != null && f.cancel(true);
    }

    void shutdown() {
        pool.shutdownNow();
    }
}
