package io.jneuron.cpu.decoder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CompilerCpuTest {
    @Test
    void sumsTheRunTimeOfC2ThreadsOnly(@TempDir Path proc) throws IOException {
        task(proc, 1, "main", "900000000 5 10");
        task(proc, 2, "C2 CompilerThre", "120000000 7 30");
        task(proc, 3, "C1 CompilerThre", "50000000 1 4");
        task(proc, 4, "C2 CompilerThre", "3000000 0 2");
        assertEquals(123_000_000L, CompilerCpu.nanos(proc));
    }

    @Test
    void unreadableOrCompilerlessTasksGiveMinusOne(@TempDir Path proc) throws IOException {
        assertEquals(-1, CompilerCpu.nanos(proc.resolve("missing")));
        task(proc, 1, "main", "900000000 5 10");
        assertEquals(-1, CompilerCpu.nanos(proc));
        // A thread that ended between the listing and the read is skipped, not an error.
        Files.createDirectories(proc.resolve("2"));
        Files.writeString(proc.resolve("2/comm"), "C2 CompilerThre\n");
        task(proc, 3, "C2 CompilerThre", "42 0 1");
        assertEquals(42, CompilerCpu.nanos(proc));
    }

    @Test
    void thisJvmsCompilerTimeGrowsWhenItCompiles() {
        long before = CompilerCpu.nanos();
        assumeTrue(before >= 0, "no /proc/self/task schedstat here (not Linux)");
        // Enough calls of a small method with a loop for C2 to compile it.
        long sink = 0;
        for (int i = 0; i < 200_000; i++) {
            sink += work(i);
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (CompilerCpu.nanos() <= before && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(CompilerCpu.nanos() > before, "C2 threads ran no CPU while compiling " + sink);
    }

    @Test
    void pollingAllocatesLittle(@TempDir Path proc) throws IOException {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        for (int tid = 1; tid <= 24; tid++) {
            task(proc, tid, tid % 12 == 0 ? "C2 CompilerThre" : "worker-" + tid, tid + "000 1 2");
        }
        assertEquals(12_000 + 24_000, CompilerCpu.nanos(proc));
        long self = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(self);
        for (int i = 0; i < 10; i++) {
            assertEquals(36_000, CompilerCpu.nanos(proc));
        }
        long perPoll = (threads.getThreadAllocatedBytes(self) - before) / 10;
        // Reading every file whole took 8 KB a file (~400 KB a poll here); names are read once now.
        assertTrue(perPoll < 48_000, "one poll of 24 threads allocated " + perPoll + " bytes");
    }

    @Test
    void schedstatsFirstFieldIsParsed() {
        byte[] b = "123456789 22 3\n".getBytes();
        assertEquals(123456789L, CompilerCpu.firstNumber(b, b.length));
        assertThrows(NumberFormatException.class, () -> CompilerCpu.firstNumber(b, 0));
    }

    @Test
    void namesAreMatchedAsLinuxTruncatesThem() {
        assertTrue(CompilerCpu.isCompiler("C2 CompilerThre"));
        assertFalse(CompilerCpu.isCompiler("C1 CompilerThre"));
        assertFalse(CompilerCpu.isCompiler("jneuron-cpu-1"));
    }

    private static long work(int n) {
        long s = 0;
        for (int i = 0; i < 16; i++) {
            s += (long) n * i ^ (s >>> 3);
        }
        return s;
    }

    private static void task(Path proc, int tid, String comm, String schedstat) throws IOException {
        Path t = Files.createDirectories(proc.resolve(Integer.toString(tid)));
        Files.writeString(t.resolve("comm"), comm + "\n");
        Files.writeString(t.resolve("schedstat"), schedstat + "\n");
    }
}
