package io.jneuron.core.cache;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CacheStatusCleanupTest {
    private static final List<String> FLAGS = List.of("--auto-cast=none");

    @TempDir
    Path root;
    Path outside;

    /** One module per state in the current neuronxcc folder, an old folder, and a CPU backend folder. */
    @BeforeEach
    void aCacheWithEveryState() throws Exception {
        Path cur = root.resolve("neuronxcc-2.21.33363.0+82129205");
        module(cur, "MODULE_1+d41d8cd9", "model.neff", "model.done", "compile_flags.json");
        module(cur, "MODULE_2+d41d8cd9", "model.hlo_module.pb", "model.log");
        module(cur, "MODULE_3+d41d8cd9", "model.hlo_module.pb");
        Path locked = module(cur, "MODULE_4+d41d8cd9", "model.hlo_module.pb");
        // Our lock record for a pid that is gone: the killed compile's leftover.
        Files.writeString(locked.resolve("model.hlo_module.pb.lock"), "{\"host\": \"" + hostName() + "\", \"owner\": "
                + "\"jneuron\", \"pid\": 2147483646, \"since\": \"2026-01-01T00:00:00Z\"}");
        module(root.resolve("neuronxcc-2.15.141.0+d3cfc8ca"), "MODULE_9+2c2d707e", "model.neff", "model.done");
        module(root.resolve("jneuron-cpu-0.1.0"), "MODULE_5+d41d8cd9", "model.bin", "model.done");
        Files.createDirectories(root.resolve("not-a-cache-folder"));
        Registry.local(root).write(Fixtures.NEURONXCC, Fixtures.entry("worked-example"));
        outside = Files.createDirectories(root.resolveSibling(root.getFileName() + "-outside"));
        Files.writeString(outside.resolve("keep.me"), "data");
        Files.createSymbolicLink(cur.resolve("MODULE_3+d41d8cd9").resolve("link-out"), outside);
    }

    @Test
    void statusCountsStatesPerCompilerAndTellsCurrentFromOld() {
        CacheStatus s = CacheRoot.at(root).status(Map.of());
        assertEquals(List.of("jneuron-cpu-0.1.0", "neuronxcc-2.15.141.0+d3cfc8ca", "neuronxcc-2.21.33363.0+82129205"),
                s.compilers().stream().map(c -> c.compiler().folderName()).toList());
        CacheStatus.Compiler cur = s.compilers().get(2);
        assertTrue(cur.current());
        assertEquals(Map.of(ModuleState.SUCCESS, 1L, ModuleState.FAILED, 1L, ModuleState.EMPTY, 1L, ModuleState.LOCKED, 1L,
                        ModuleState.CORRUPT, 0L),
                cur.counts());
        assertEquals(List.of("MODULE_4+d41d8cd9"), cur.staleLocks().stream().map(ModuleDir::name).toList());
        assertEquals("that process is gone", cur.staleLocks().get(0).lock().detail());
        assertEquals(2, cur.registryEntries());
        assertFalse(s.compilers().get(1).current());
        assertTrue(s.compilers().get(0).current(), "the newest jneuron-cpu folder is current");
        assertEquals(s.compilers().get(1).bytes(), s.oldVersionBytes());
        assertTrue(CacheRoot.at(root).status(Map.of("neuronxcc", "2.15")).compilers().get(1).current());
        assertEquals("1.5 KB", CacheStatus.human(1536));
        assertEquals("12 B", CacheStatus.human(12));
    }

    @Test
    void defaultCleanupRemovesFailedAndKilledModulesOnly() throws Exception {
        CleanupReport dry = CacheRoot.at(root).cleanup(new CleanupOptions(false, false, false, true, Map.of()));
        assertEquals(List.of("MODULE_2+d41d8cd9", "MODULE_4+d41d8cd9"), names(dry));
        assertTrue(Files.exists(root.resolve("neuronxcc-2.21.33363.0+82129205/MODULE_2+d41d8cd9")), "dry run deletes nothing");
        CleanupReport real = CacheRoot.at(root).cleanup(CleanupOptions.defaults());
        assertEquals(names(dry), names(real));
        assertEquals(dry.freedBytes(), real.freedBytes());
        CacheStatus.Compiler cur = CacheRoot.at(root).status(Map.of()).compilers().get(2);
        assertEquals(0L, cur.counts().get(ModuleState.FAILED) + cur.counts().get(ModuleState.LOCKED));
        assertTrue(Files.exists(outside.resolve("keep.me")));
    }

    @Test
    void allOldVersionsAndWipeWidenTheSweepButNeverLeaveTheCacheFolders() throws Exception {
        assertEquals(List.of("MODULE_2+d41d8cd9", "MODULE_3+d41d8cd9", "MODULE_4+d41d8cd9"),
                names(CacheRoot.at(root).cleanup(new CleanupOptions(true, false, false, false, Map.of()))));
        assertTrue(Files.exists(outside.resolve("keep.me")), "the symlink out was removed, not followed");
        assertEquals(List.of("neuronxcc-2.15.141.0+d3cfc8ca"),
                names(CacheRoot.at(root).cleanup(new CleanupOptions(false, true, false, false, Map.of()))));
        CacheRoot.at(root).cleanup(new CleanupOptions(false, false, true, false, Map.of()));
        try (var left = Files.list(root)) {
            assertEquals(List.of("not-a-cache-folder"), left.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void theCacheRootComesFromTheFlagThenTheUrlThenTheDefault() {
        assertEquals(Path.of("/from/flag"), CacheRoot.resolve(null, Map.of("NEURON_CC_FLAGS", "--retry_failed_compilation "
                + "--cache_dir=/from/flag -O1", "NEURON_COMPILE_CACHE_URL", "/from/url")).path());
        assertEquals(Path.of("/from/flag"), CacheRoot.resolve(null, Map.of("NEURON_CC_FLAGS", "--cache_dir /from/flag")).path());
        assertEquals(Path.of("/from/url"), CacheRoot.resolve(null, Map.of("NEURON_COMPILE_CACHE_URL", "/from/url")).path());
        assertEquals(Path.of("/opt/x"), CacheRoot.resolve("/opt/x", Map.of("NEURON_COMPILE_CACHE_URL", "/from/url")).path());
        assertEquals(Path.of("/var/tmp/neuron-compile-cache"), CacheRoot.resolve(null, Map.of()).path());
        CacheException e = org.junit.jupiter.api.Assertions.assertThrows(CacheException.class,
                () -> CacheRoot.resolve(null, Map.of("NEURON_COMPILE_CACHE_URL", "s3://bucket/cache")));
        assertEquals("NEURON_COMPILE_CACHE_URL is s3://bucket/cache: S3 caches are not supported here; pass a local folder "
                + "with --cache_dir", e.getMessage());
    }

    private static List<String> names(CleanupReport r) {
        return r.removed().stream().map(x -> x.path().getFileName().toString()).sorted().toList();
    }

    private static Path module(Path compiler, String name, String... files) throws Exception {
        Path dir = Files.createDirectories(compiler.resolve(name));
        for (String f : files) {
            Files.writeString(dir.resolve(f), f.equals("model.done") ? "" : "x".repeat(100));
        }
        return dir;
    }

    private static String hostName() throws Exception {
        Path p = Path.of("/proc/sys/kernel/hostname");
        return Files.exists(p) ? Files.readString(p).trim() : java.net.InetAddress.getLocalHost().getHostName();
    }
}
