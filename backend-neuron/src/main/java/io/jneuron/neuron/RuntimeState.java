package io.jneuron.neuron;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The process-wide runtime (nrt_init .. nrt_close) and the handles it owns. It is the Cleaner action
 * of {@link NeuronRuntime} and never references it. Closing takes the write lock (so it waits for
 * every call in flight), closes what is still open in order (sets, tensors, models) and then
 * calls nrt_close.
 */
final class RuntimeState implements Runnable {
    /** nrt_init claims the process's cores: one runtime at a time. */
    private static final AtomicBoolean ACTIVE = new AtomicBoolean();
    private static final System.Logger LOG = System.getLogger("io.jneuron.neuron");

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<NativeHandle.Kind, Set<NativeHandle>> live = new EnumMap<>(NativeHandle.Kind.class);
    private volatile boolean open = true;
    private volatile boolean explicit;

    private RuntimeState() {
        for (NativeHandle.Kind k : NativeHandle.Kind.values()) {
            live.put(k, new LinkedHashSet<>());
        }
    }

    /** Claims the process-wide slot, or throws if another runtime is open. */
    static RuntimeState claim() {
        if (!ACTIVE.compareAndSet(false, true)) {
            throw new IllegalStateException("a NeuronRuntime is already open in this process; nrt_init is process-wide, "
                    + "so close the open one first or share it");
        }
        return new RuntimeState();
    }

    /** Gives the slot back when nrt_init failed. */
    void abandon() {
        open = false;
        ACTIVE.set(false);
    }

    boolean isOpen() {
        return open;
    }

    void enter() {
        lock.readLock().lock();
        if (!open) {
            lock.readLock().unlock();
            throw new IllegalStateException("the NeuronRuntime is closed");
        }
    }

    void exit() {
        lock.readLock().unlock();
    }

    /** A handle closing: blocks a runtime close meanwhile, but works after it (then it frees nothing). */
    void enterForClose() {
        lock.readLock().lock();
    }

    void exitForClose() {
        lock.readLock().unlock();
    }

    void register(NativeHandle h) {
        synchronized (live) {
            live.get(h.kind()).add(h);
        }
    }

    void forget(NativeHandle h) {
        synchronized (live) {
            live.get(h.kind()).remove(h);
        }
    }

    int liveCount() {
        synchronized (live) {
            return live.values().stream().mapToInt(Set::size).sum();
        }
    }

    void markExplicit() {
        explicit = true;
    }

    @Override
    public void run() {
        lock.writeLock().lock();
        try {
            if (!open) {
                return;
            }
            if (!explicit) {
                LOG.log(System.Logger.Level.WARNING, "a NeuronRuntime was never closed; closed by the leak net");
            }
            for (NativeHandle.Kind k : NativeHandle.Kind.values()) {
                List<NativeHandle> handles;
                synchronized (live) {
                    handles = new ArrayList<>(live.get(k));
                }
                for (NativeHandle h : handles) {
                    h.markExplicit();
                    h.run();
                }
            }
            NrtLibrary.nClose();
            open = false;
            ACTIVE.set(false);
        } finally {
            lock.writeLock().unlock();
        }
    }
}
