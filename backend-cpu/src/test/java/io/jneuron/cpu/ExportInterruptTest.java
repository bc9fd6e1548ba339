package io.jneuron.cpu;

import io.jneuron.core.cache.CacheException;
import io.jneuron.core.cache.CacheRoot;
import io.jneuron.core.cache.CleanupOptions;
import io.jneuron.core.Settings;
import io.jneuron.core.export.ExportRequest;
import io.jneuron.core.export.ExportResult;
import io.jneuron.core.export.Exporter;
import io.jneuron.core.export.ShapeRequest;
import io.jneuron.core.model.Architecture;
import io.jneuron.core.shape.DType;
import io.jneuron.core.testing.TinyModelSpec;
import io.jneuron.core.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An export killed mid-compile (SIGKILL of a real JVM) leaves no half-written artifact under a final
 * name; the next export reports the stale lock with the command that clears it, and after cleanup
 * it compiles and succeeds.
 */
class ExportInterruptTest {
    @TempDir
    Path tmp;

    @Test
    void aKilledExportLeavesNothingHalfWrittenAndIsRecoverable() throws Exception {
        Path model = tmp.resolve("mid-llama");
        // Big enough that packing takes a moment, small enough for CI.
        TinyModels.generate(TinyModelSpec.tiny(Architecture.LLAMA).withHiddenSize(512).withNumHeads(8)
                .withNumKvHeads(8).withIntermediateSize(1376).withNumLayers(8).withVocabSize(32000), model);
        Path cache = tmp.resolve("cache");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "-cp", cp, "io.jneuron.core.cli.Main", "export", model.toString(),
                tmp.resolve("out").toString(), "--cache_dir", cache.toString(), "--sequence_length", "128",
                "--threads", "1"));
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null && !line.contains("pack")) {
                // wait until packing has started
            }
            assertTrue(line != null, "the export never reached packing");
        }
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));

        Path compilerDir = cache.resolve("jneuron-cpu-" + CpuBackendProvider.VERSION);
        try (Stream<Path> files = Files.walk(compilerDir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                assertFalse(name.equals("model.done"), "a killed compile never marks success: " + f);
                if (name.equals("model.cpu")) {
                    throw new AssertionError("a half-written artifact under its final name: " + f);
                }
            }
        }
        assertFalse(Files.exists(tmp.resolve("out")), "no output folder from the killed export");

        Settings settings = new Settings("cpu", 2);
        ExportRequest again = new ExportRequest(model.toString(), tmp.resolve("out"), "text-generation",
                new ShapeRequest(null, 128, DType.FP32, null), null, null, null, cache.toString());
        CacheException stale = assertThrows(CacheException.class, () -> Exporter.export(again, settings, (s, f) -> { }));
        assertTrue(stale.getMessage().contains("a killed compile left the lock"), stale.getMessage());
        assertTrue(stale.getMessage().contains("cache cleanup"), stale.getMessage());

        CacheRoot.at(cache).cleanup(CleanupOptions.defaults());
        ExportResult r = Exporter.export(again, settings, (s, f) -> { });
        assertEquals(ExportResult.MISS, r.cache());
        assertTrue(Files.isRegularFile(r.module().resolve("model.done")));
    }
}
