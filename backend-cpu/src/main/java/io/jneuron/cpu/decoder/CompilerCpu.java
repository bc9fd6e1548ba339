package io.jneuron.cpu.decoder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The C2 compiler threads' on-CPU time, from Linux's per-thread scheduler statistics
 * ({@code /proc/self/task/N/schedstat}, nanoseconds; threads named {@code C2 CompilerThreadN}). The warm-up
 * waits on it: {@code CompilationMXBean} only counts a compilation when it ends, so a long one in progress
 * looks like an idle compiler. C1's compilations are short and cheap, and some always run (other threads'
 * code warming up), so waiting for them would only lengthen the load.
 * The warm-up polls every few milliseconds, so a poll allocates next to nothing: each thread's name is read
 * once, and the counters through a small buffer ({@code Files.readString} took 8 KB per procfs file: ~0.5 GB
 * of garbage and dozens of young collections per load, some of it promoted to the old generation).
 */
final class CompilerCpu {
    private static final Path TASKS = Path.of("/proc/self/task");
    /** Task directory to whether its thread is a C2 compiler thread (names do not change here; tids are rarely reused). */
    private static final Map<Path, Boolean> COMPILER = new ConcurrentHashMap<>();

    private CompilerCpu() {
    }

    /** Nanoseconds the C2 compiler threads have run so far, or -1 where the JVM's threads cannot be read (not Linux). */
    static long nanos() {
        return nanos(TASKS);
    }

    static long nanos(Path tasks) {
        long sum = 0;
        boolean found = false;
        byte[] buf = new byte[64];
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
            for (Path t : dir) {
                try {
                    Boolean compiler = COMPILER.get(t);
                    if (compiler == null) {
                        compiler = isCompiler(new String(buf, 0, read(t.resolve("comm"), buf), StandardCharsets.UTF_8).strip());
                        COMPILER.put(t, compiler);
                    }
                    if (!compiler) {
                        continue;
                    }
                    sum += firstNumber(buf, read(t.resolve("schedstat"), buf));
                    found = true;
                } catch (IOException | RuntimeException e) {
                    // the thread ended between the listing and the read, or a kernel without schedstat
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return found ? sum : -1;
    }

    /** Reads the start of a small procfs file into {@code buf}; returns the bytes read. */
    private static int read(Path file, byte[] buf) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(buf, 0, buf.length);
        }
    }

    /** The decimal number at the start of {@code buf} ("run-time-ns wait-ns slices" in schedstat). */
    static long firstNumber(byte[] buf, int n) {
        long v = 0;
        int i = 0;
        for (; i < n && buf[i] >= '0' && buf[i] <= '9'; i++) {
            v = v * 10 + (buf[i] - '0');
        }
        if (i == 0) {
            throw new NumberFormatException("no number at the start of " + new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        return v;
    }

    /** Linux keeps the first 15 characters of a thread's name: "C2 CompilerThre". */
    static boolean isCompiler(String threadName) {
        return threadName.startsWith("C2 Compiler");
    }
}
