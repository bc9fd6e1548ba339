package io.jneuron.neuron;

import java.lang.ref.Cleaner;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongConsumer;

/**
 * One native handle below the runtime (a tensor set, tensor or model): the pointer, the function
 * that frees it, and a read-write lock. Calls hold the read lock (after the runtime's), closing
 * takes the write lock, so a close waits for calls in flight and a call after close is an
 * {@link IllegalStateException}, never a dangling pointer. It never references its owner, so it
 * can be the owner's {@link Cleaner} action: the leak net that frees (and logs) a handle whose
 * owner was dropped without {@code close()}.
 */
final class NativeHandle implements Runnable {
    /** Close order inside a runtime: sets, then tensors, then models. */
    enum Kind { SET, TENSOR, MODEL }

    static final Cleaner CLEANER = Cleaner.create();
    private static final System.Logger LOG = System.getLogger("io.jneuron.neuron");

    private final RuntimeState runtime;
    private final Kind kind;
    private final String what;
    private final LongConsumer free;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private long value;
    private boolean closed;
    private volatile boolean explicit;
    /** Memory the native object points into (an attached buffer): kept reachable until it is freed. */
    private volatile Object keepAlive;

    NativeHandle(RuntimeState runtime, Kind kind, String what, long value, LongConsumer free) {
        this.runtime = runtime;
        this.kind = kind;
        this.what = what;
        this.value = value;
        this.free = free;
        runtime.register(this);
    }

    Kind kind() {
        return kind;
    }

    String what() {
        return what;
    }

    void keepAlive(Object o) {
        keepAlive = o;
    }

    /** Enters a call: the runtime's read lock, then ours. Pair with {@link #release()} in a finally. */
    long acquire() {
        runtime.enter();
        lock.readLock().lock();
        if (closed) {
            lock.readLock().unlock();
            runtime.exit();
            throw new IllegalStateException(what + " is closed");
        }
        return value;
    }

    void release() {
        lock.readLock().unlock();
        runtime.exit();
    }

    boolean isClosed() {
        lock.readLock().lock();
        try {
            return closed;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The owner's close (through its Cleanable) or the runtime's close: not a leak. */
    void markExplicit() {
        explicit = true;
    }

    @Override
    public void run() {
        runtime.enterForClose();
        try {
            lock.writeLock().lock();
            try {
                if (closed) {
                    return;
                }
                closed = true;
                if (!explicit) {
                    LOG.log(System.Logger.Level.WARNING, what + " was never closed; freed by the leak net. "
                            + "Close it (try-with-resources) so native memory is released in order.");
                }
                // After nrt_close the runtime has torn everything down; freeing again would touch freed state.
                if (runtime.isOpen()) {
                    free.accept(value);
                }
                value = 0;
                keepAlive = null;
            } finally {
                lock.writeLock().unlock();
            }
            runtime.forget(this);
        } finally {
            runtime.exitForClose();
        }
    }
}
