package io.jneuron.core.cache;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompileCacheTest {
    private static final CompilerId CPU = new CompilerId("jneuron-cpu", "0.1.0");
    private static final List<String> FLAGS = List.of("--model-type=transformer", "--auto-cast=none", "--execute-repetition=1");

    @TempDir
    Path root;

    @Test
    void flagsHashIsLibneuronxlasMd5OfTheJsonList() {
        for (Object o : (List<?>) PyJson.parse(Goldens.text("registry/flags.json"), "flags.json")) {
            Map<?, ?> c = (Map<?, ?>) o;
            List<String> flags = ((List<?>) c.get("flags")).stream().map(String.class::cast).toList();
            assertEquals(c.get("md5_8"), CompileCache.flagsHash(flags), flags.toString());
        }
        assertEquals("39f12043", CompileCache.flagsHash(FLAGS)); // seen on the Hub, spec §1.3
    }

    @Test
    void compileOnceCompilesThenReusesWithModelDoneLast() throws Exception {
        CompileCache cache = new CompileCache(root, Fixtures.NEURONXCC);
        AtomicInteger runs = new AtomicInteger();
        CompileOutcome first = cache.compileOnce("13007494868668190092", FLAGS, w -> {
            runs.incrementAndGet();
            assertFalse(Files.exists(w.getParent().resolve("model.done")));
            Files.writeString(w.resolve("model.neff"), "NEFF");
            Files.writeString(w.resolve("model.hlo_module.pb"), "HLO");
        });
        assertTrue(first.compiled());
        ModuleDir m = first.module();
        assertEquals("MODULE_13007494868668190092+39f12043", m.name());
        assertEquals(root.resolve("neuronxcc-2.21.33363.0+82129205/MODULE_13007494868668190092+39f12043"), m.path());
        assertEquals(ModuleState.SUCCESS, m.state());
        assertNull(m.lock());
        assertEquals("[\"--model-type=transformer\", \"--auto-cast=none\", \"--execute-repetition=1\"]",
                Files.readString(m.path().resolve("compile_flags.json")));
        List<String> done = Files.readAllLines(m.path().resolve("model.done"));
        assertTrue(done.get(0).startsWith("# jneuron module digests") && done.stream().anyMatch(l -> l.endsWith(" model.neff")),
                "model.done records the digest of every artifact: " + done);
        CompileOutcome second = cache.compileOnce("13007494868668190092", FLAGS, w -> runs.incrementAndGet());
        assertFalse(second.compiled());
        assertEquals(1, runs.get());
    }

    @Test
    void manyThreadsAskingAtOnceGetOneCompile() throws Exception {
        CompileCache cache = new CompileCache(root, CPU);
        AtomicInteger runs = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<CompileOutcome>> fs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Callable<CompileOutcome> c = () -> cache.compileOnce("abc", FLAGS, w -> {
                runs.incrementAndGet();
                Thread.sleep(300);
                Files.writeString(w.resolve("model.bin"), "weights");
            });
            fs.add(pool.submit(c));
        }
        int compiled = 0;
        for (Future<CompileOutcome> f : fs) {
            CompileOutcome o = f.get();
            assertEquals(ModuleState.SUCCESS, o.module().state());
            compiled += o.compiled() ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(1, runs.get());
        assertEquals(1, compiled);
    }

    @Test
    void aFailedCompileLeavesModelLogIsNotRetriedAndCleanupClearsIt() {
        CompileCache cache = new CompileCache(root, Fixtures.NEURONXCC);
        CacheException boom = assertThrows(CacheException.class, () -> cache.compileOnce("k1", FLAGS, w -> {
            Files.writeString(w.resolve("model.neff"), "partial");
            throw new java.io.IOException("neuronx-cc exited with 70");
        }));
        assertTrue(boom.getMessage().startsWith("compile of MODULE_k1+39f12043 failed: java.io.IOException: neuronx-cc "
                + "exited with 70"), boom.getMessage());
        ModuleDir m = cache.module("k1", FLAGS);
        assertEquals(ModuleState.FAILED, m.state());
        assertTrue(Files.exists(m.log()));
        assertFalse(Files.exists(m.path().resolve("model.neff")), "nothing from the failed work is published");

        CacheException again = assertThrows(CacheException.class, () -> cache.compileOnce("k1", FLAGS, w -> { }));
        assertEquals("MODULE_k1+39f12043 failed to compile before (log: " + m.log() + "); fix the cause, then run `jneuron "
                + "cache cleanup --cache_dir " + root + "` to remove the failed entry and retry", again.getMessage());

        CleanupReport r = CacheRoot.at(root).cleanup(CleanupOptions.defaults());
        assertEquals(List.of(m.path()), r.removed().stream().map(CleanupReport.Removal::path).toList());
        assertTrue(cache.compileOnce("k1", FLAGS, w -> Files.writeString(w.resolve("model.neff"), "NEFF")).compiled());
    }

    @Test
    void retryFailedRecompilesAFailedModuleAndTheWorksOwnLogHeadsModelLog() throws Exception {
        CompileCache cache = new CompileCache(root, Fixtures.NEURONXCC);
        assertThrows(CacheException.class, () -> cache.compileOnce("k6", FLAGS, w -> {
            Files.writeString(w.resolve("model.log"), "ERROR [NCC_EVRF009] the compiler's own words\n");
            throw new java.io.IOException("neuronx-cc exited with 1");
        }));
        ModuleDir m = cache.module("k6", FLAGS);
        assertEquals(ModuleState.FAILED, m.state());
        String log = Files.readString(m.log());
        assertTrue(log.startsWith("ERROR [NCC_EVRF009] the compiler's own words\n---- jneuron: the compile failed with\n"
                + "io.jneuron.core.cache.CacheException: compile of MODULE_k6+39f12043 failed: java.io.IOException"), log);
        assertThrows(CacheException.class, () -> cache.compileOnce("k6", FLAGS, w -> { }), "still blocked");

        CompileOutcome retried = cache.withRetryFailed(true).compileOnce("k6", FLAGS,
                w -> Files.writeString(w.resolve("model.neff"), "NEFF"));
        assertTrue(retried.compiled());
        assertEquals(ModuleState.SUCCESS, retried.module().state());
        assertFalse(Files.exists(m.log()), "the old failure log is gone");
        assertFalse(cache.withRetryFailed(true).compileOnce("k6", FLAGS, w -> { }).compiled(), "success is reused");
    }

    @Test
    void aNeuronxccCompileWithoutANeffIsAFailureAndBackendExceptionsKeepTheirType() {
        CompileCache cache = new CompileCache(root, Fixtures.NEURONXCC);
        CacheException e = assertThrows(CacheException.class,
                () -> cache.compileOnce("k2", FLAGS, w -> Files.writeString(w.resolve("model.log"), "x")));
        assertTrue(e.getMessage().contains("produced no model.neff"), e.getMessage());
        IllegalStateException bug = new IllegalStateException("bad shape");
        CacheException wrapped = assertThrows(CacheException.class, () -> cache.compileOnce("k3", FLAGS, w -> {
            throw bug;
        }));
        assertEquals(bug, wrapped.getCause());
        io.jneuron.core.shape.ShapeException own = new io.jneuron.core.shape.ShapeException("seq 7 is not a bucket");
        assertEquals(own, assertThrows(io.jneuron.core.shape.ShapeException.class,
                () -> cache.compileOnce("k4", FLAGS, w -> {
                    throw own;
                })));
        assertEquals(ModuleState.FAILED, cache.module("k4", FLAGS).state());
    }

    @Test
    void anInterruptedCompileLeavesNothingBehind() {
        CompileCache cache = new CompileCache(root, CPU);
        assertThrows(CacheException.class, () -> cache.compileOnce("k5", FLAGS, w -> {
            throw new InterruptedException();
        }));
        assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
        assertEquals(ModuleState.EMPTY, cache.module("k5", FLAGS).state());
        assertTrue(cache.compileOnce("k5", FLAGS, w -> Files.writeString(w.resolve("a"), "b")).compiled());
    }

    @Test
    void tracedModulesHaveNoFlagsAndCountAsCompiledWhenCopiedIn() throws Exception {
        CompileCache cache = new CompileCache(root, Fixtures.NEURONXCC);
        String hash = Fixtures.entry("bert-id2label").hash();
        assertEquals(ModuleState.EMPTY, cache.module(hash).state());
        Path copied = cache.dir().resolve("MODULE_" + hash);
        Files.createDirectories(copied);
        Files.writeString(copied.resolve("model.neuron"), "torchscript");
        assertEquals(ModuleState.SUCCESS, cache.module(hash).state());
        assertNull(cache.module(hash).flagsHash());
        assertFalse(cache.compileOnce(hash, w -> { }).compiled());
    }

    @Test
    void aLiveForeignLockIsWaitedForUntilTheTimeout() throws Exception {
        CompileCache cache = new CompileCache(root, Fixtures.NEURONXCC).withWaitTimeout(Duration.ofMillis(300));
        Path dir = cache.dir().resolve("MODULE_k6+39f12043");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("model.hlo_module.pb.lock"), ""); // libneuronxla's, just taken
        ModuleDir m = cache.module("k6", FLAGS);
        assertEquals(ModuleState.LOCKED, m.state());
        assertFalse(m.lock().stale());
        CacheException e = assertThrows(CacheException.class, () -> cache.compileOnce("k6", FLAGS, w -> { }));
        assertTrue(e.getMessage().startsWith("gave up after PT0.3S waiting for MODULE_k6+39f12043, locked by an unknown "
                + "process since "), e.getMessage());
        assertEquals("a compile is running: neuronxcc-2.21.33363.0+82129205/MODULE_k6+39f12043 is locked by an unknown process"
                        + " since " + m.lock().since() + " (just taken); cleanup refuses to run now, wait for it to finish or stop it",
                assertThrows(CacheException.class, () -> CacheRoot.at(root).cleanup(CleanupOptions.defaults())).getMessage());
    }

    @Test
    void keysThatAreNotPlainNamesAreRefused() {
        CompileCache cache = new CompileCache(root, CPU);
        for (String bad : List.of("../x", "a/b", "", "k+1")) {
            CacheException e = assertThrows(CacheException.class, () -> cache.module(bad, FLAGS));
            assertTrue(e.getMessage().startsWith("module key '" + bad + "' must be 1-64 letters or digits"));
        }
        assertThrows(CacheException.class, () -> new CompilerId("../neuronxcc", "1"));
        assertTrue(CompilerId.parse("neuronxcc-2.21.33363.0+82129205").isPresent());
        assertEquals(new CompilerId("jneuron-cpu", "0.1.0-SNAPSHOT"), CompilerId.parse("jneuron-cpu-0.1.0-SNAPSHOT").orElseThrow());
        assertTrue(CompilerId.parse("2.12.68.0+4480452af").isEmpty(), "the legacy training cache is not ours");
    }
}
