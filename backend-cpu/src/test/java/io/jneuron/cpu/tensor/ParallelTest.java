package io.jneuron.cpu.tensor;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParallelTest {

    /** Every chunk a region ran, sorted by start. */
    private static List<int[]> chunks(Parallel par, int n, int align, long cost, boolean streaming) {
        List<int[]> seen = Collections.synchronizedList(new ArrayList<>());
        par.forRange(n, align, cost, streaming, (from, to) -> seen.add(new int[] {from, to}));
        List<int[]> sorted = new ArrayList<>(seen);
        sorted.sort((a, b) -> Integer.compare(a[0], b[0]));
        return sorted;
    }

    @Test
    void everyIndexRunsExactlyOnceWhateverTheThreadCountAndAlignment() {
        for (int threads : new int[] {2, 3, 4}) {
            try (Parallel par = new Parallel(threads)) {
                for (int align : new int[] {1, 4, 8}) {
                    for (int n : new int[] {align + 1, 1000, 2304, 32000}) {
                        AtomicIntegerArray hits = new AtomicIntegerArray(n);
                        for (int round = 0; round < 20; round++) {
                            par.forRange(n, align, 768, (from, to) -> {
                                for (int i = from; i < to; i++) {
                                    hits.incrementAndGet(i);
                                }
                            });
                        }
                        for (int i = 0; i < n; i++) {
                            assertEquals(20, hits.get(i), "index " + i + " of " + n + ", threads " + threads);
                        }
                    }
                }
            }
        }
    }

    /** Chunk sizes in order; asserts that the chunks tile [0, n) with aligned starts. */
    private static List<Integer> sizes(List<int[]> got, int n, int align) {
        int from = 0;
        List<Integer> sizes = new ArrayList<>();
        for (int[] c : got) {
            assertEquals(from, c[0], "chunks tile the range");
            assertEquals(0, c[0] % align, "aligned starts");
            sizes.add(c[1] - c[0]);
            from = c[1];
        }
        assertEquals(n, from);
        return sizes;
    }

    @Test
    void aStreamingRegionsChunksHalveWhatIsLeftLongRunsFirstThenSmallAlignedOnes() {
        // 2304 rows of 768 multiply-adds (a decode QKV product): the minimum chunk is 16384 / 768 = 21 rows,
        // rounded up to the alignment of 4: 24.
        try (Parallel par = new Parallel(2)) {
            for (int round = 0; round < 10; round++) {
                // Whoever claims, the boundaries are those of halving what is left: 1152, 576, 288, ...
                assertEquals(List.of(1152, 576, 288, 144, 72, 36, 24, 12), sizes(chunks(par, 2304, 4, 768, true), 2304, 4));
            }
        }
    }

    @Test
    void aComputeBoundRegionsChunksTakeAQuarterOfWhatIsLeft() {
        try (Parallel par = new Parallel(2)) {
            List<Integer> sizes = sizes(chunks(par, 2304, 4, 768, false), 2304, 4);
            assertEquals(576, sizes.get(0));
            assertEquals(432, sizes.get(1));
            for (int i = 1; i < sizes.size(); i++) {
                assertTrue(sizes.get(i) <= sizes.get(i - 1), "sizes never grow: " + sizes);
                assertTrue(sizes.get(i) >= 24 || i == sizes.size() - 1, "only the last chunk is below 24 rows: " + sizes);
            }
        }
    }

    @Test
    void threeThreadsStreamingClaimAThirdOfWhatIsLeft() {
        try (Parallel par = new Parallel(3)) {
            List<int[]> got = chunks(par, 3000, 1, 1024, true);
            assertEquals(1000, got.get(0)[1] - got.get(0)[0]);
            assertEquals(666, got.get(1)[1] - got.get(1)[0]);
            for (int i = 1; i < got.size(); i++) {
                int prev = got.get(i - 1)[1] - got.get(i - 1)[0];
                int size = got.get(i)[1] - got.get(i)[0];
                assertTrue(size <= prev, "sizes never grow");
                assertTrue(size >= 16 || got.get(i)[1] == 3000, "only the last chunk is below the minimum of 16");
            }
        }
    }

    @Test
    void smallProblemsRunOnTheCallerInOnePiece() {
        try (Parallel par = new Parallel(2)) {
            List<int[]> got = chunks(par, 100, 1, 10, false);
            assertEquals(1, got.size());
            assertEquals(0, got.get(0)[0]);
            assertEquals(100, got.get(0)[1]);
        }
    }

    @Test
    void aFailureInAnyChunkReachesTheCallerAndThePoolStaysUsable() {
        try (Parallel par = new Parallel(2)) {
            IllegalStateException boom = new IllegalStateException("boom");
            IllegalStateException thrown = assertThrows(IllegalStateException.class,
                    () -> par.forRange(4096, 1, 1024, (from, to) -> {
                        if (from <= 3000 && 3000 < to) {
                            throw boom;
                        }
                    }));
            assertSame(boom, thrown);
            AtomicIntegerArray hits = new AtomicIntegerArray(4096);
            par.forRange(4096, 1, 1024, (from, to) -> {
                for (int i = from; i < to; i++) {
                    hits.incrementAndGet(i);
                }
            });
            for (int i = 0; i < 4096; i++) {
                assertEquals(1, hits.get(i));
            }
        }
    }

    /** The pool's worker thread, as seen running a chunk of a slow region (null if none took part in 20 regions). */
    private static Thread worker(Parallel par) {
        Thread caller = Thread.currentThread();
        for (int round = 0; round < 20; round++) {
            List<Thread> seen = Collections.synchronizedList(new ArrayList<>());
            par.forRange(64, 1, 1 << 14, false, (from, to) -> {
                seen.add(Thread.currentThread());
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            for (Thread t : seen) {
                if (t != caller) {
                    return t;
                }
            }
        }
        return null;
    }

    @Test
    void anIdleWorkerParksUntilWokenAndStillTakesPartInTheNextRegion() throws Exception {
        try (Parallel par = new Parallel(2)) {
            Thread w = worker(par);
            assertTrue(w != null, "the worker takes part in a region");
            // Idle past IDLE_NANOS: parked with no timeout (WAITING), not waking every 10 ms (TIMED_WAITING).
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (w.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(Thread.State.WAITING, w.getState());
            assertSame(w, worker(par), "a region wakes it");
        }
    }
}
