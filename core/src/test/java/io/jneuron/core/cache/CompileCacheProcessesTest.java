package io.jneuron.core.cache;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real separate JVMs sharing one cache folder: one compile wins, a killed writer is found and repaired. */
class CompileCacheProcessesTest {
    private static final CompilerId CPU = new CompilerId("jneuron-cpu", "0.1.0");
    private static final String KEY = "0123456789abcdef0123";

    @TempDir
    Path tmp;

    @Test
    @Timeout(120)
    void twoProcessesExportingAtOnceCompileOnceAndBothSucceed() throws Exception {
        Path root = tmp.resolve("cache");
        Path journal = tmp.resolve("journal");
        List<Process> ps = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ps.add(start(root, journal, 1500, false, "p" + i));
        }
        List<String> outputs = new ArrayList<>();
        for (Process p : ps) {
            assertTrue(p.waitFor(90, TimeUnit.SECONDS), "a JVM hung");
            assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("p" + ps.indexOf(p) + ".err")));
            outputs.add(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
        }
        assertEquals(1, Files.readAllLines(journal).size(), "compiles: " + Files.readAllLines(journal));
        assertEquals(List.of("compiled", "reused"), outputs.stream().sorted().toList());

        ModuleDir m = new CompileCache(root, CPU).module(KEY, CompileOnceMain.FLAGS);
        assertEquals(ModuleState.SUCCESS, m.state());
        assertTrue(CompileOnceMain.intact(m.path().resolve("model.bin")));
        assertEquals(PyJson.dumps(CompileOnceMain.FLAGS, PyJson.Style.COMPACT),
                Files.readString(m.path().resolve("compile_flags.json")));
        try (Stream<Path> files = Files.list(m.path())) {
            assertEquals(List.of("compile_flags.json", "model.bin", "model.done"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no lock or temp files left");
        }
        assertEquals(1, new CompileCache(root, CPU).modules().size());
    }

    @Test
    @Timeout(120)
    void aKilledWriterLeavesAStaleLockThatStatusNamesAndCleanupRepairs() throws Exception {
        Path root = tmp.resolve("cache");
        Path journal = tmp.resolve("journal");
        Process writer = start(root, journal, 0, true, "killed");
        Path started = tmp.resolve("journal.started");
        for (int i = 0; i < 900 && !Files.exists(started); i++) {
            Thread.sleep(100);
        }
        assertTrue(Files.exists(started), "the writer never started: " + Files.readString(tmp.resolve("killed.err")));
        long pid = writer.pid();
        writer.destroyForcibly(); // SIGKILL: no finally blocks, no shutdown hooks
        assertTrue(writer.waitFor(30, TimeUnit.SECONDS));

        CacheRoot cache = CacheRoot.at(root);
        CacheStatus status = cache.status(Map.of());
        CacheStatus.Compiler cpu = status.compilers().get(0);
        assertEquals(1L, cpu.counts().get(ModuleState.LOCKED));
        assertEquals(1, cpu.staleLocks().size());
        LockInfo lock = cpu.staleLocks().get(0).lock();
        assertEquals(pid, lock.pid());
        assertTrue(lock.stale());
        assertEquals("that process is gone", lock.detail());
        assertEquals("jneuron cache cleanup --cache_dir " + root.toAbsolutePath().normalize(), status.clearCommand());

        CompileCache cc = cache.compileCache(CPU);
        CacheException e = assertThrows(CacheException.class, () -> cc.compileOnce(KEY, CompileOnceMain.FLAGS, w -> { }));
        assertTrue(e.getMessage().contains("is locked by pid " + pid) && e.getMessage().endsWith("a killed compile left "
                + "the lock. Run `jneuron cache cleanup --cache_dir " + root.toAbsolutePath().normalize() + "` to clear it"),
                e.getMessage());

        CleanupReport report = cache.cleanup(CleanupOptions.defaults());
        assertEquals(1, report.removed().size(), report.toString());
        assertTrue(report.removed().get(0).reason().startsWith("killed compile: stale lock of pid " + pid));
        assertFalse(Files.exists(cc.module(KEY, CompileOnceMain.FLAGS).path()));

        CompileOutcome out = cc.compileOnce(KEY, CompileOnceMain.FLAGS,
                w -> CompileOnceMain.writeArtifact(w.resolve("model.bin"), null));
        assertTrue(out.compiled());
        assertTrue(CompileOnceMain.intact(out.module().path().resolve("model.bin")));
    }

    private Process start(Path root, Path journal, long sleepMs, boolean hang, String name) throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", cp, CompileOnceMain.class.getName(), root.toString(), KEY, journal.toString(),
                Long.toString(sleepMs)));
        if (hang) {
            cmd.add("hang");
        }
        return new ProcessBuilder(cmd).redirectError(tmp.resolve(name + ".err").toFile()).start();
    }
}
