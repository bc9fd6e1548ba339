package io.jneuron.cpu.decoder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The arrays of closed sessions (KV cache, activations), handed to the next session of the same model.
 * A session's KV cache alone is tens of MB, too big for the young generation, so without reuse every
 * generation leaves that much garbage in the old generation, which a parallel collector only reclaims
 * in a full GC: resident memory would grow by a session per generation. Arrays come back zeroed, as new.
 */
public final class BufferPool {
    /** At most this many free arrays are kept (a session holds ~2 per layer plus 8). */
    private static final int MAX_FREE = 512;
    private final List<float[]> free = new ArrayList<>();
    /** A 16-bit KV cache's arrays (see {@link Attention}). */
    private final List<int[]> freeInts = new ArrayList<>();

    /** A zeroed array of {@code length} floats: a returned one when there is one, else a new one. */
    synchronized float[] take(int length) {
        for (int i = free.size() - 1; i >= 0; i--) {
            if (free.get(i).length == length) {
                float[] a = free.remove(i);
                Arrays.fill(a, 0f);
                return a;
            }
        }
        return new float[length];
    }

    /** A zeroed array of {@code length} ints, as {@link #take}. */
    synchronized int[] takeInts(int length) {
        for (int i = freeInts.size() - 1; i >= 0; i--) {
            if (freeInts.get(i).length == length) {
                int[] a = freeInts.remove(i);
                Arrays.fill(a, 0);
                return a;
            }
        }
        return new int[length];
    }

    /** Takes back arrays that their session no longer uses. */
    synchronized void give(float[]... arrays) {
        for (float[] a : arrays) {
            if (free.size() < MAX_FREE) {
                free.add(a);
            }
        }
    }

    /** Takes back int arrays that their session no longer uses. */
    synchronized void give(int[]... arrays) {
        for (int[] a : arrays) {
            if (freeInts.size() < MAX_FREE) {
                freeInts.add(a);
            }
        }
    }

    /** The number of free arrays held. */
    synchronized int size() {
        return free.size() + freeInts.size();
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
