package io.jneuron.core.generate;

import java.util.Arrays;

/**
 * Partial selection of the largest logits without sorting the vocabulary: a bounded min-heap of
 * packed keys, O(V log m). Every token is packed into one {@code long} (order-preserving logit bits
 * high, inverted id low) so that ordering by key is "larger logit first, then lower id first", a total
 * order: the top m of a vocabulary is the same set whichever m is asked, and ties always favour the
 * lowest id, exactly as {@link Sampler#argmax} does. NaN logits rank as negative infinity.
 */
final class TopSelection {
    private TopSelection() {
    }

    /** The packed key of token {@code id}; compare as signed longs, larger is better. */
    static long key(float logit, int id) {
        float f = logit != logit ? Float.NEGATIVE_INFINITY : logit + 0.0f; // NaN -> -inf, -0.0 -> 0.0
        int bits = Float.floatToRawIntBits(f);
        bits ^= (bits >> 31) & 0x7fffffff; // negative floats: flip magnitude so int order == float order
        return ((long) bits << 32) | (~id & 0xffffffffL);
    }

    /** The logit packed into {@code key} (NaN comes back as negative infinity). */
    static float logit(long key) {
        int bits = (int) (key >> 32);
        bits ^= (bits >> 31) & 0x7fffffff;
        return Float.intBitsToFloat(bits);
    }

    /** The token id packed into {@code key}. */
    static int id(long key) {
        return ~(int) key;
    }

    /**
     * Puts the {@code min(m, logits.length)} best tokens into {@code out[0..n)}, best first, and returns n.
     * {@code out} must hold at least n entries.
     */
    static int select(float[] logits, int m, long[] out) {
        int n = Math.min(m, logits.length);
        if (n <= 0) {
            return 0;
        }
        int size = 0;
        float floor = Float.NEGATIVE_INFINITY; // the heap minimum's logit once the heap is full
        for (int i = 0; i < logits.length; i++) {
            if (size == n && logits[i] < floor) {
                continue; // the common case: a plain float compare, no key (NaN and ties go on)
            }
            long k = key(logits[i], i);
            if (size < n) {
                out[size] = k;
                siftUp(out, size++);
            } else if (k > out[0]) {
                out[0] = k;
                siftDown(out, n);
            } else {
                continue;
            }
            if (size == n) {
                floor = logit(out[0]);
            }
        }
        Arrays.sort(out, 0, n);
        for (int i = 0, j = n - 1; i < j; i++, j--) {
            long t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return n;
    }

    private static void siftUp(long[] heap, int i) {
        long k = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent] <= k) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = k;
    }

    private static void siftDown(long[] heap, int size) {
        long k = heap[0];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && heap[child + 1] < heap[child]) {
                child++;
            }
            if (heap[child] >= k) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = k;
    }
}
