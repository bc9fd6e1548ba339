package io.jneuron.neuron.compiler;

import io.jneuron.core.cache.CacheRoot;
import io.jneuron.core.cache.ModuleDir;
import io.jneuron.core.cache.ModuleState;
import io.jneuron.neuron.neff.NeffFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The driver against the STAND-IN neuronx-cc (src/test/resources/standin/neuronx-cc); no real compiler runs. */
class NeuronxccDriverTest {
    private static final String MODULE_DIR = "neuronxcc-2.21.33363.0+82129205";

    @TempDir
    Path tmp;
    Path counter;
    NeuronxccDriver driver;
    CacheRoot root;

    @BeforeEach
    void standIn() throws Exception {
        counter = tmp.resolve("invocations.txt");
        driver = new NeuronxccDriver(StandInTools.install(tmp.resolve("bin"), "neuronx-cc"), StandInTools.env(counter),
                Duration.ofMinutes(2));
        root = CacheRoot.at(tmp.resolve("cache"));
    }

    private Path hlo(String content) throws Exception {
        Path p = tmp.resolve("hlo-" + Integer.toHexString(content.hashCode()) + ".pb");
        Files.writeString(p, content);
        return p;
    }

    private long compiles() throws Exception {
        return StandInTools.invocations(counter).stream().filter(l -> l.startsWith("compile ")).count();
    }

    @Test
    void theVersionIsParsedOnceIntoTheCacheCompilerId() throws Exception {
        assertEquals(MODULE_DIR, driver.compilerId().folderName());
        assertEquals("2.21.33363.0+82129205", driver.version().toString());
        assertEquals(List.of("--version"), StandInTools.invocations(counter), "asked once, then remembered");
    }

    @Test
    void aColdCompileFillsTheModuleAndASecondIsAHitThatRunsNothing() throws Exception {
        Path hlo = hlo("HloModule standin_add, entry_computation_layout={(f32[2,3])->f32[2,3]}");
        NeuronxccFlags flags = NeuronxccFlags.of("trn1").withAutoCast("all", "bf16");
        List<String> stages = Collections.synchronizedList(new ArrayList<>());

        NeffModule cold = driver.compile(hlo, flags, root, false, (stage, f) -> stages.add(stage));
        assertTrue(cold.compiled());
        String key = NeuronxccDriver.graphKey(Files.readAllBytes(hlo));
        ModuleDir m = cold.module();
        assertEquals(root.path().resolve(MODULE_DIR).resolve("MODULE_" + key + "+"
                + io.jneuron.core.cache.CompileCache.flagsHash(flags.flags())), m.path());
        assertEquals(ModuleState.SUCCESS, m.state());
        assertEquals(List.of("compile_flags.json", "model.done", "model.hlo_module.pb", "model.neff"),
                Files.list(m.path()).map(p -> p.getFileName().toString()).sorted().toList());
        assertEquals("[\"--target=trn1\", \"--model-type=transformer\", \"--auto-cast=all\", \"--auto-cast-type=bf16\", "
                + "\"--optlevel=2\"]", Files.readString(m.path().resolve("compile_flags.json")));
        // model.done (optimum only tests that it exists) records each artifact's sha256, so a swapped NEFF is caught
        String done = Files.readString(m.path().resolve("model.done"));
        String neffSha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(m.path().resolve("model.neff"))));
        assertTrue(done.lines().anyMatch(l -> l.startsWith(neffSha + " ") && l.endsWith(" model.neff")), done);
        assertEquals(Files.readString(hlo), Files.readString(m.path().resolve("model.hlo_module.pb")));
        NeffFile.Info info = NeffFile.inspect(cold.neff());
        assertEquals(List.of("neff.json", "hlo.sha256", "sg00/def.json"), info.entries().stream().map(NeffFile.Entry::name).toList());
        assertEquals(1, compiles());
        String call = StandInTools.invocations(counter).stream().filter(l -> l.startsWith("compile ")).findFirst().orElseThrow();
        assertTrue(call.matches("compile --framework=XLA \\S+/model\\.hlo_module\\.pb --target=trn1 --model-type=transformer "
                + "--auto-cast=all --auto-cast-type=bf16 --optlevel=2 --output=\\S+/model\\.neff --logfile=\\S+"), call);

        assertTrue(stages.contains("neuronx-cc: INFO: stand-in pass 1/2: tensorizer"), stages.toString());
        assertTrue(stages.contains("neuronx-cc: INFO: stand-in pass 2/2: codegen"), stages.toString());
        assertEquals("compiled " + m.name(), stages.get(stages.size() - 1));

        List<String> again = new ArrayList<>();
        NeffModule hit = driver.compile(hlo, flags, root, false, (stage, f) -> again.add(stage));
        assertFalse(hit.compiled());
        assertEquals(m.path(), hit.module().path());
        assertEquals(1, compiles(), "a hit runs no compiler");
        assertEquals(List.of("neuronx-cc " + m.name(), "cache hit " + m.name()), again);

        driver.compile(hlo, flags.withOptlevel(1), root, false, (s, f) -> { });
        assertEquals(2, compiles(), "other flags are another module");
    }

    @Test
    void aFailedCompileKeepsTheCompilersLogAndBlocksUntilRetryFailed() throws Exception {
        Path hlo = hlo("HloModule broken STANDIN_FAIL");
        NeuronxccFlags flags = NeuronxccFlags.of("inf2");
        CompileException e = assertThrows(CompileException.class, () -> driver.compile(hlo, flags, root, false, (s, f) -> { }));
        ModuleDir m = root.compileCache(driver.compilerId()).module(NeuronxccDriver.graphKey(Files.readAllBytes(hlo)), flags.flags());
        assertEquals(ModuleState.FAILED, m.state());
        assertEquals(m.log(), e.log().orElseThrow());
        assertEquals("neuronx-cc exited with status 1 compiling " + m.name() + " for inf2; its output is in " + m.log()
                + ", ending:\nINFO: stand-in neuronx-cc compiling model.hlo_module.pb for inf2\nERROR [NCC_STANDIN001]: "
                + "stand-in failure requested\nFix the cause, then recompile with retryFailed (NEURON_CC_FLAGS="
                + "--retry_failed_compilation)", e.getMessage());
        String log = Files.readString(m.log());
        assertTrue(log.startsWith("INFO: stand-in neuronx-cc compiling model.hlo_module.pb for inf2\nERROR [NCC_STANDIN001]: "
                + "stand-in failure requested\n---- log-neuron-cc.txt\nstand-in neuronx-cc log: "), log);
        assertTrue(log.contains("stand-in detail: failing as asked\n---- jneuron: the compile failed with\n"), log);
        assertFalse(Files.exists(m.path().resolve("model.neff")));
        assertEquals(1, compiles());

        CompileException blocked = assertThrows(CompileException.class, () -> driver.compile(hlo, flags, root, false, (s, f) -> { }));
        assertEquals(m.name() + " failed to compile before; its log is " + m.log() + ". Fix the cause, then recompile with "
                + "retryFailed (NEURON_CC_FLAGS=--retry_failed_compilation)", blocked.getMessage());
        assertEquals(1, compiles(), "a failed module is not recompiled");

        assertThrows(CompileException.class, () -> driver.compile(hlo, flags, root, true, (s, f) -> { }));
        assertEquals(2, compiles(), "retryFailed recompiles (and it fails again)");

        Map<String, String> env = new HashMap<>(StandInTools.env(counter));
        env.put("NEURON_CC_FLAGS", "--retry_failed_compilation");
        Path fixed = hlo("HloModule fixed");
        NeuronxccDriver viaEnv = driver.withEnvironment(env);
        assertThrows(CompileException.class, () -> viaEnv.compile(hlo, flags, root, false, (s, f) -> { }));
        assertEquals(3, compiles(), "NEURON_CC_FLAGS=--retry_failed_compilation is honoured");
        assertTrue(driver.compile(fixed, flags, root, false, (s, f) -> { }).compiled());
    }

    @Test
    void retryFailedTurnsAFailedModuleIntoASuccessOnceTheCauseIsGone() throws Exception {
        Path hlo = hlo("HloModule flaky");
        NeuronxccFlags flags = NeuronxccFlags.of("trn1");
        Map<String, String> failing = new HashMap<>(StandInTools.env(counter));
        failing.put("STANDIN_NCC_MODE", "fail");
        driver.version();
        assertThrows(CompileException.class, () -> driver.withEnvironment(failing).compile(hlo, flags, root, false, (s, f) -> { }));
        NeffModule ok = driver.compile(hlo, flags, root, true, (s, f) -> { });
        assertTrue(ok.compiled());
        assertEquals(ModuleState.SUCCESS, ok.module().state());
        assertFalse(Files.exists(ok.module().log()), "the old failure log is gone");
    }

    @Test
    void exitZeroWithoutANeffIsAFailureNamingTheFile() throws Exception {
        Map<String, String> env = new HashMap<>(StandInTools.env(counter));
        env.put("STANDIN_NCC_MODE", "noneff");
        Path hlo = hlo("HloModule nothing");
        CompileException e = assertThrows(CompileException.class,
                () -> driver.withEnvironment(env).compile(hlo, NeuronxccFlags.of("trn1"), root, false, (s, f) -> { }));
        assertTrue(e.getMessage().startsWith("neuronx-cc exited with status 0 compiling MODULE_"), e.getMessage());
        assertTrue(e.getMessage().contains(" but model.neff is missing or not a NEFF ("), e.getMessage());
        assertTrue(Files.readString(e.log().orElseThrow()).startsWith("INFO: stand-in neuronx-cc compiling"));
    }

    @Test
    void aMissingHloFileIsNamed() {
        Path missing = tmp.resolve("nope.pb");
        CompileException e = assertThrows(CompileException.class,
                () -> driver.compile(missing, NeuronxccFlags.of("trn1"), root, false, (s, f) -> { }));
        assertTrue(e.getMessage().startsWith("cannot read the HLO module " + missing + ": "), e.getMessage());
    }
}
