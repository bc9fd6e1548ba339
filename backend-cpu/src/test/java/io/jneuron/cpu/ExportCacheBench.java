package io.jneuron.cpu;

import io.jneuron.core.Settings;
import io.jneuron.core.export.ExportRequest;
import io.jneuron.core.export.ExportResult;
import io.jneuron.core.export.Exporter;
import io.jneuron.core.export.ShapeRequest;
import io.jneuron.core.shape.DType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Cold vs warm export in one long-lived JVM, as a notebook kernel runs {@code %neuron_export} twice:
 * each round exports into a fresh compile cache (cold: packs the model), then exports the same
 * configuration again (warm: a local hit that must compile nothing). One untimed round warms the JIT.
 * Run by {@code bench/export-cache.sh}; not a test.
 */
public final class ExportCacheBench {
    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        int rounds = Integer.parseInt(args[1]);
        DType dtype = DType.parse(args[2]);
        int seq = Integer.parseInt(args[3]);
        Path work = Files.createTempDirectory("jneuron-export-bench");
        Settings settings = new Settings("cpu", Runtime.getRuntime().availableProcessors());
        double[] cold = new double[rounds];
        double[] warm = new double[rounds];
        for (int r = -1; r < rounds; r++) {
            Path cache = work.resolve("cache" + r);
            ExportRequest req = new ExportRequest(model.toString(), work.resolve("out" + r), "text-generation",
                    new ShapeRequest(1, seq, dtype, null), null, null, null, cache.toString());
            long t0 = System.nanoTime();
            ExportResult a = Exporter.export(req, settings, (s, f) -> { });
            long t1 = System.nanoTime();
            ExportResult b = Exporter.export(new ExportRequest(req.model(), work.resolve("again" + r), req.task(),
                    req.shape(), null, null, null, req.cacheDir()), settings, (s, f) -> { });
            long t2 = System.nanoTime();
            if (!a.cache().equals(ExportResult.MISS) || !b.cache().equals(ExportResult.HIT_LOCAL)) {
                throw new IllegalStateException("expected a miss then a hit, got " + a.cache() + ", " + b.cache());
            }
            if (r >= 0) {
                cold[r] = (t1 - t0) / 1e6;
                warm[r] = (t2 - t1) / 1e6;
                System.out.printf(Locale.ROOT, "round %d: cold (miss) %.1f ms, warm (hit-local) %.1f ms%n", r + 1,
                        cold[r], warm[r]);
                System.out.println("  warm stages (ms): " + b.timingsMs());
            }
        }
        Arrays.sort(cold);
        Arrays.sort(warm);
        double mc = cold[rounds / 2];
        double mw = warm[rounds / 2];
        System.out.printf(Locale.ROOT, "median cold %.1f ms, median warm %.1f ms, speed-up %.1fx (%s, seq %d, %s)%n",
                mc, mw, mc / mw, dtype, seq, model.getFileName());
    }
}
