package io.jneuron.cpu.decoder;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arrays of closed sessions (KV cache, activations), handed to the next session of the same model.
 * A session's KV cache alone is tens of MB, too big for the young generation, so without reuse every
 * generation leaves that much garbage in the old generation, which a parallel collector only reclaims
 * in a full GC: resident memory would grow by a session per generation. Arrays come back zeroed, as new.
 * A {@link #borrower} serves throw-away sessions (the warm-up) from this pool's arrays first, so they add no
 * arrays of the real sessions' shapes to the old generation.
 */
public final class BufferPool {
    /**
     * At most this many free arrays are kept: a session holds 2 per layer for each cache chunk it reached (up to 64
     * chunks of 64 positions for a 4096-position cache) plus 7.
     */
    private static final int MAX_FREE = 1 << 16;
    /** Free arrays by length. */
    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    /** A 16-bit KV cache's arrays (see {@link Attention}). */
    private final Map<Integer, ArrayDeque<int[]>> freeInts = new HashMap<>();
    private int count;
    /** The pool a borrower takes from when it has no array of the length asked, or null. */
    private final BufferPool lender;
    /** The lender's arrays this borrower took, handed back by {@link #giveBack}. */
    private final Set<Object> borrowed = Collections.newSetFromMap(new IdentityHashMap<>());

    public BufferPool() {
        this(null);
    }

    private BufferPool(BufferPool lender) {
        this.lender = lender;
    }

    /**
     * A pool for throw-away sessions: an array it lacks is taken from this pool's free ones when one has the
     * length, else allocated; {@link #giveBack} returns the taken ones here once those sessions are closed.
     */
    BufferPool borrower() {
        return new BufferPool(this);
    }

    /** Hands the arrays this borrower took from its lender, and has back, to the lender again; keeps the rest. */
    void giveBack() {
        List<float[]> floats = new ArrayList<>();
        List<int[]> ints = new ArrayList<>();
        synchronized (this) {
            free.values().forEach(q -> q.removeIf(a -> borrowed.contains(a) && floats.add(a)));
            freeInts.values().forEach(q -> q.removeIf(a -> borrowed.contains(a) && ints.add(a)));
            count -= floats.size() + ints.size();
            borrowed.clear();
        }
        if (lender != null) {
            lender.give(floats.toArray(float[][]::new));
            lender.give(ints.toArray(int[][]::new));
        }
    }

    /** A zeroed array of {@code length} floats: a returned one when there is one, else a new one. */
    synchronized float[] take(int length) {
        float[] a = reuse(free, length);
        if (a == null && lender != null && (a = lender.reuseFloats(length)) != null) {
            borrowed.add(a);
        }
        if (a == null) {
            return new float[length];
        }
        Arrays.fill(a, 0f);
        return a;
    }

    /** A zeroed array of {@code length} ints, as {@link #take}. */
    synchronized int[] takeInts(int length) {
        int[] a = reuse(freeInts, length);
        if (a == null && lender != null && (a = lender.reuseInts(length)) != null) {
            borrowed.add(a);
        }
        if (a == null) {
            return new int[length];
        }
        Arrays.fill(a, 0);
        return a;
    }

    private synchronized float[] reuseFloats(int length) {
        return reuse(free, length);
    }

    private synchronized int[] reuseInts(int length) {
        return reuse(freeInts, length);
    }

    /** Takes back arrays that their session no longer uses. */
    synchronized void give(float[]... arrays) {
        keep(free, arrays);
    }

    /** Takes back int arrays that their session no longer uses. */
    synchronized void give(int[]... arrays) {
        keep(freeInts, arrays);
    }

    /** Removes and returns a free array of exactly {@code length} elements, or null. */
    private <T> T reuse(Map<Integer, ArrayDeque<T>> byLength, int length) {
        ArrayDeque<T> q = byLength.get(length);
        T a = q == null ? null : q.pollLast();
        if (a != null) {
            count--;
        }
        return a;
    }

    private <T> void keep(Map<Integer, ArrayDeque<T>> byLength, T[] arrays) {
        for (T a : arrays) {
            if (count < MAX_FREE) {
                byLength.computeIfAbsent(java.lang.reflect.Array.getLength(a), n -> new ArrayDeque<>()).addLast(a);
                count++;
            }
        }
    }

    /** The number of free arrays held. */
    synchronized int size() {
        return count;
    }

    /** A pool that keeps nothing (one-off sessions such as the warm-up). */
    static float[] alloc(BufferPool pool, int length) {
        return pool != null ? pool.take(length) : new float[length];
    }

    /** {@link #alloc} for ints. */
    static int[] allocInts(BufferPool pool, int length) {
        return pool != null ? pool.takeInts(length) : new int[length];
    }
}
