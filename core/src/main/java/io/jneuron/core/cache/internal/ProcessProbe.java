package io.jneuron.core.cache.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** Who is running: this process's identity for lock records, and liveness checks on others. */
public final class ProcessProbe {
    private static final String HOST = readHost();

    private ProcessProbe() {
    }

    public static long pid() {
        return ProcessHandle.current().pid();
    }

    public static String host() {
        return HOST;
    }

    /** When this process started, as the OS reports it; pins a pid against reuse. */
    public static Optional<Instant> startOf(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().startInstant());
    }

    /** True when {@code pid} runs and (if {@code started} is known) is the process that started then. */
    public static boolean alive(long pid, Instant started) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return false;
        }
        Optional<Instant> s = h.get().info().startInstant();
        // Start instants can be rounded differently by different JDK versions: allow a second.
        return started == null || s.isEmpty() || Math.abs(s.get().toEpochMilli() - started.toEpochMilli()) < 1000;
    }

    /** True when a process whose command line mentions {@code name} runs (optimum's {@code pgrep -c neuronx-cc}). */
    public static boolean anyProcessNamed(String name) {
        return ProcessHandle.allProcesses().anyMatch(h -> h.pid() != pid() && h.info().commandLine()
                .or(() -> h.info().command()).map(c -> c.contains(name)).orElse(false));
    }

    private static String readHost() {
        // /proc avoids a DNS lookup, which can stall for seconds on a badly configured host.
        try {
            String h = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!h.isEmpty()) {
                return h;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
