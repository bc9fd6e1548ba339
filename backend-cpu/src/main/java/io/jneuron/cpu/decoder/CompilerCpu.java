package io.jneuron.cpu.decoder;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The C2 compiler threads' on-CPU time, from Linux's per-thread scheduler statistics
 * ({@code /proc/self/task/N/schedstat}, nanoseconds; threads named {@code C2 CompilerThreadN}). The warm-up
 * waits on it: {@code CompilationMXBean} only counts a compilation when it ends, so a long one in progress
 * looks like an idle compiler. C1's compilations are short and cheap, and some always run (other threads'
 * code warming up), so waiting for them would only lengthen the load.
 */
final class CompilerCpu {
    private static final Path TASKS = Path.of("/proc/self/task");

    private CompilerCpu() {
    }

    /** Nanoseconds the C2 compiler threads have run so far, or -1 where the JVM's threads cannot be read (not Linux). */
    static long nanos() {
        return nanos(TASKS);
    }

    static long nanos(Path tasks) {
        long sum = 0;
        boolean found = false;
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
            for (Path t : dir) {
                try {
                    if (!isCompiler(Files.readString(t.resolve("comm")).strip())) {
                        continue;
                    }
                    String stat = Files.readString(t.resolve("schedstat")).strip();
                    sum += Long.parseLong(stat.substring(0, stat.indexOf(' ')));
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

    /** Linux keeps the first 15 characters of a thread's name: "C2 CompilerThre". */
    static boolean isCompiler(String threadName) {
        return threadName.startsWith("C2 Compiler");
    }
}
