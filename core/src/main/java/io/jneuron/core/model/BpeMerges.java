package io.jneuron.core.model;

import java.util.Arrays;

/** (left id, right id) to (rank << 32 | merged id), open addressing: 30K merges in ~1 MB, no boxing. */
final class BpeMerges {
    private final long[] keys;
    private final long[] values;
    private final int mask;

    BpeMerges(int expected) {
        int size = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[size];
        values = new long[size];
        mask = size - 1;
        Arrays.fill(keys, -1);
    }

    /** The first merge of a pair wins: the library keeps the lowest rank of a repeated merge too. */
    void putIfAbsent(int left, int right, int rank, int merged) {
        long key = (long) left << 32 | right;
        for (int i = slot(key); ; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return;
            }
            if (keys[i] == -1) {
                keys[i] = key;
                values[i] = (long) rank << 32 | merged;
                return;
            }
        }
    }

    /** rank << 32 | merged id, or -1 when the pair does not merge. */
    long get(int left, int right) {
        long key = (long) left << 32 | right;
        for (int i = slot(key); ; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return values[i];
            }
            if (keys[i] == -1) {
                return -1;
            }
        }
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }

    /** A min-heap of longs: a word's candidate merges as rank << 32 | position. */
    static final class Heap {
        private long[] a;
        private int size;

        Heap(int capacity) {
            a = new long[Math.max(4, capacity)];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void push(long v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, size * 2);
            }
            int i = size++;
            while (i > 0 && a[(i - 1) / 2] > v) {
                a[i] = a[(i - 1) / 2];
                i = (i - 1) / 2;
            }
            a[i] = v;
        }

        long pop() {
            long top = a[0];
            long last = a[--size];
            int i = 0;
            while (2 * i + 1 < size) {
                int c = 2 * i + 1;
                if (c + 1 < size && a[c + 1] < a[c]) {
                    c++;
                }
                if (a[c] >= last) {
                    break;
                }
                a[i] = a[c];
                i = c;
            }
            a[i] = last;
            return top;
        }
    }
}
