package io.jneuron.core.cli;

import io.jneuron.core.Settings;
import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.export.ModelOpener;
import io.jneuron.core.export.ShapeRequest;
import io.jneuron.core.generate.GenerationRequest;
import io.jneuron.core.generate.GenerationResult;
import io.jneuron.core.generate.Generator;
import io.jneuron.core.shape.DType;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * For {@code bench/cold-cpu.sh}: what a fresh JVM's first generation spends its CPU on, next to later ones.
 * Wall-time ratios mean little on a shared 2-core machine; the on-CPU time of each thread group (Linux
 * {@code /proc/self/task/N/schedstat}) during the prefill and the decode does not depend on who else runs:
 * {@code app} (main and worker threads), {@code GC}, {@code C1}/{@code C2} (compiler threads). A cold
 * penalty shows as GC or JIT time in the first prefill, or as more app time (slower code).
 *
 * <p>Arguments: model, precision (fp32, bf16, fp16 or int8), threads, generations. The bench's shapes:
 * batch 1, sequence_length 256, a 128-token prompt (the bench's seed-42 ids), 64 new tokens. One line per
 * generation: prefill ms, decode ms, the JVM's uptime at its start ({@code @ms}, to line up with a compile log),
 * then {@code group=run/wait} ms (wait: runnable but off the CPU) and {@code faults=minor/major} for the
 * prefill (from the start of the call to the first token) and the decode.
 */
public final class ColdProbe {
    /** The snapshot's entry for the process's page faults (counts, not nanoseconds). */
    private static final String FAULTS = "faults";

    private ColdProbe() {
    }

    public static void main(String[] args) {
        String model = args[0];
        DType dtype = DType.parse(args[1]);
        Settings settings = Settings.fromEnvironment().withThreads(Integer.parseInt(args[2]));
        int generations = Integer.parseInt(args[3]);
        ShapeRequest shape = new ShapeRequest(1, 256, dtype, null);
        try (ModelOpener.Opened opened = ModelOpener.open(model, shape, settings, ProgressListener.NONE, false)) {
            int[][] prompts = BenchRun.prompts(1, 128, opened.model().config().vocabSize());
            Map<String, long[]>[] at = new Map[2];
            GenerationRequest request = GenerationRequest.builder(prompts).maxNewTokens(64)
                    .listener((row, id, text) -> {
                        if (at[1] == null) {
                            at[1] = snapshot();
                        }
                    }).build();
            Generator generator = new Generator(opened.model(), null);
            System.out.printf(Locale.ROOT, "load_ms %.0f%n", opened.loadMs());
            for (int g = 0; g < generations; g++) {
                at[1] = null;
                at[0] = snapshot();
                long started = ManagementFactory.getRuntimeMXBean().getUptime();
                GenerationResult r = generator.generate(request);
                Map<String, long[]> end = snapshot();
                System.out.printf(Locale.ROOT, "gen %d %.2f %.2f @%d |P%s |D%s%n", g, r.timings().prefillMs(),
                        r.timings().decodeMs(), started, diff(at[0], at[1]), diff(at[1], end));
            }
        }
    }

    /** Run and wait nanoseconds per thread group, summed over this process's threads. */
    private static Map<String, long[]> snapshot() {
        Map<String, long[]> m = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                try {
                    String name = Files.readString(t.resolve("comm")).strip();
                    String[] stat = Files.readString(t.resolve("schedstat")).strip().split(" ");
                    long[] v = m.computeIfAbsent(group(name), k -> new long[2]);
                    v[0] += Long.parseLong(stat[0]);
                    v[1] += Long.parseLong(stat[1]);
                } catch (IOException e) {
                    // the thread ended between the listing and the read
                }
            }
            // Page faults (minor/major, process-wide): a first touch of mapped weights or fresh heap shows here.
            String line = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            m.put(FAULTS, new long[] {Long.parseLong(fields[7]), Long.parseLong(fields[9])});
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/task (Linux only): " + e.getMessage(), e);
        }
        return m;
    }

    private static String group(String thread) {
        if (thread.startsWith("C2 Compiler")) {
            return "C2";
        }
        if (thread.startsWith("C1 Compiler")) {
            return "C1";
        }
        if (thread.startsWith("GC ") || thread.startsWith("VM Thread") || thread.startsWith("G1 ")) {
            return "GC";
        }
        return thread.equals("java") || thread.startsWith("main") || thread.startsWith("jneuron") ? "app" : "other";
    }

    private static String diff(Map<String, long[]> a, Map<String, long[]> b) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, long[]> e : new TreeMap<>(b).entrySet()) {
            long[] x = a.getOrDefault(e.getKey(), new long[2]);
            if (e.getKey().equals(FAULTS)) {
                sb.append(String.format(Locale.ROOT, " %s=%d/%d", FAULTS, e.getValue()[0] - x[0], e.getValue()[1] - x[1]));
                continue;
            }
            sb.append(String.format(Locale.ROOT, " %s=%.0f/%.0f", e.getKey(), (e.getValue()[0] - x[0]) / 1e6,
                    (e.getValue()[1] - x[1]) / 1e6));
        }
        return sb.toString();
    }
}
