package io.jneuron.neuron.compiler;

import io.jneuron.core.cache.CacheRoot;
import io.jneuron.core.cache.ModuleDir;
import io.jneuron.core.cache.ModuleState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Timeout and interrupt against the STAND-IN neuronx-cc hanging on purpose: it forks {@code sleep} and waits on it,
 * so killing only the compiler would leave the {@code sleep} behind. Both must be gone afterwards.
 */
class NeuronxccKillTest {
    @TempDir
    Path tmp;

    private Map<String, String> env(Path pids) {
        Map<String, String> env = new HashMap<>(StandInTools.env(tmp.resolve("invocations.txt")));
        env.put("STANDIN_NCC_PIDS", pids.toString());
        return env;
    }

    private static List<ProcessHandle> started(Path pids) throws Exception {
        return List.of(Files.readString(pids).trim().split(" ")).stream()
                .map(s -> ProcessHandle.of(Long.parseLong(s))).flatMap(java.util.Optional::stream).toList();
    }

    private static void assertAllGone(Path pids) throws Exception {
        assertTrue(Files.exists(pids), "the stand-in reached its hang");
        for (String pid : Files.readString(pids).trim().split(" ")) {
            assertFalse(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false),
                    "process " + pid + " of the hung compile is still alive");
        }
    }

    @Test
    void aHangingCompileIsKilledAtTheTimeoutWithItsChildrenAndLeftFailed() throws Exception {
        Path pids = tmp.resolve("pids");
        NeuronxccDriver driver = new NeuronxccDriver(StandInTools.install(tmp.resolve("bin"), "neuronx-cc"), env(pids),
                Duration.ofSeconds(3));
        Path hlo = Files.writeString(tmp.resolve("hang.pb"), "HloModule stuck STANDIN_HANG");
        CacheRoot root = CacheRoot.at(tmp.resolve("cache"));
        long t0 = System.nanoTime();
        CompileException e = assertThrows(CompileException.class,
                () -> driver.compile(hlo, NeuronxccFlags.of("trn1"), root, false, (s, f) -> { }));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds >= 3 && seconds < 30, "took " + seconds + " s");
        assertAllGone(pids);
        ModuleDir m = root.compileCache(driver.compilerId()).module(NeuronxccDriver.graphKey(Files.readAllBytes(hlo)),
                NeuronxccFlags.of("trn1").flags());
        // How many descendants were still alive to count depends on scheduling; that every one is gone is checked above.
        assertTrue(e.getMessage().matches(java.util.regex.Pattern.quote("neuronx-cc did not finish within PT3S compiling "
                + m.name() + " for trn1; killed it and its children (") + "\\d+" + java.util.regex.Pattern.quote(
                " process(es)). Its output is in " + m.log()) + "(?s).*"), e.getMessage());
        assertEquals(ModuleState.FAILED, m.state());
        assertTrue(Files.readString(m.log()).contains("INFO: stand-in neuronx-cc hanging as requested\n"));
    }

    @Test
    void interruptingTheCompilingThreadKillsTheTreeAndCachesNothing() throws Exception {
        Path pids = tmp.resolve("pids");
        NeuronxccDriver driver = new NeuronxccDriver(StandInTools.install(tmp.resolve("bin"), "neuronx-cc"), env(pids),
                Duration.ofMinutes(5));
        driver.version();
        Path hlo = Files.writeString(tmp.resolve("hang.pb"), "HloModule stuck STANDIN_HANG");
        CacheRoot root = CacheRoot.at(tmp.resolve("cache"));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                driver.compile(hlo, NeuronxccFlags.of("trn1"), root, false, (s, f) -> { });
            } catch (Throwable x) {
                thrown.set(x);
            }
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        t.start();
        for (int i = 0; i < 600 && !Files.exists(pids); i++) {
            Thread.sleep(50);
        }
        assertEquals(2, started(pids).size(), "the stand-in and its sleep run");
        t.interrupt();
        t.join(30_000);
        assertFalse(t.isAlive());
        CompileException e = assertInstanceOf(CompileException.class, thrown.get());
        assertTrue(e.getMessage().startsWith("the compile of MODULE_"), e.getMessage());
        assertTrue(e.getMessage().endsWith(" was interrupted; neuronx-cc and its child processes were killed and nothing "
                + "was cached"), e.getMessage());
        assertTrue(stillInterrupted.get(), "the interrupt is kept for the caller");
        assertAllGone(pids);
        ModuleDir m = root.compileCache(driver.compilerId()).module(NeuronxccDriver.graphKey(Files.readAllBytes(hlo)),
                NeuronxccFlags.of("trn1").flags());
        assertEquals(ModuleState.EMPTY, m.state(), "an interrupt does not poison the module (OptimumCompat.INTERRUPT_POISONS)");
    }
}
