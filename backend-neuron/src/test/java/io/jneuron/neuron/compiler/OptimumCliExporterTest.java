package io.jneuron.neuron.compiler;

import io.jneuron.core.cache.CacheRoot;
import io.jneuron.core.cache.PyJson;
import io.jneuron.core.cache.RegistryEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Delegation to the STAND-IN optimum-cli (src/test/resources/standin/optimum-cli); the real one is not installed here. */
class OptimumCliExporterTest {
    @TempDir
    Path tmp;

    @Test
    void aTracedExportIsDelegatedAndItsEntryRegistered() throws Exception {
        Path args = tmp.resolve("args.txt");
        OptimumCliExporter exporter = new OptimumCliExporter(StandInTools.install(tmp.resolve("bin"), "optimum-cli"),
                Map.of("STANDIN_OPTIMUM_ARGS", args.toString()), Duration.ofMinutes(1));
        Path out = tmp.resolve("bert-neuron");
        OptimumExportRequest req = new OptimumExportRequest("hf-internal-testing/tiny-bert", "text-classification", 1, 128,
                "inf2", "matmul", "bf16", null, 2, out);
        CacheRoot root = CacheRoot.at(tmp.resolve("cache"));
        List<String> stages = Collections.synchronizedList(new ArrayList<>());

        OptimumExport done = exporter.export(req, root, (s, f) -> stages.add(s));

        assertEquals(List.of("export", "neuron", "--model", "hf-internal-testing/tiny-bert", "--task", "text-classification",
                "--batch_size", "1", "--sequence_length", "128", "--instance_type", "inf2", "--auto_cast", "matmul",
                "--auto_cast_type", "bf16", "-O2", out.toString()), Files.readAllLines(args));
        assertTrue(stages.contains("optimum-cli: stand-in optimum-cli: done"), stages.toString());
        assertEquals("neuronxcc-2.21.33363.0+82129205", done.compiler().folderName());
        RegistryEntry entry = done.entry();
        assertEquals("hf-internal-testing/tiny-bert", entry.modelId().orElseThrow());
        assertEquals("text-classification", entry.task().orElseThrow());
        assertEquals(128L, entry.neuron().get("static_sequence_length"));
        assertTrue(Files.isRegularFile(done.written().canonical()));
        assertTrue(done.written().canonical().startsWith(root.path().resolve("neuronxcc-2.21.33363.0+82129205/0_REGISTRY")),
                done.written().canonical().toString());
        assertEquals(entry, RegistryEntry.parse(Files.readAllBytes(done.written().canonical()), entry.recipe(), "written"));
        assertTrue(Files.exists(done.written().alias()), "the model-id alias is written too");
    }

    @Test
    void aDecoderExportIsReadFromNeuronConfigJson() throws Exception {
        OptimumCliExporter exporter = new OptimumCliExporter(StandInTools.install(tmp.resolve("bin"), "optimum-cli"),
                Map.of(), Duration.ofMinutes(1));
        Path out = tmp.resolve("llama-neuron");
        OptimumExport done = exporter.export(OptimumExportRequest.of("org/tiny-llama", "text-generation", 2, 256, "trn1", out),
                CacheRoot.at(tmp.resolve("cache")), (s, f) -> { });
        assertEquals(256L, done.entry().neuron().get("sequence_length"));
        assertEquals("NxDNeuronConfig", done.entry().neuron().get("_serialized_key"));
        assertEquals("org/tiny-llama", done.entry().modelId().orElseThrow());
        Map<String, Object> written = PyJson.parseObject(Files.readAllBytes(done.written().canonical()), "entry");
        assertEquals("llama", written.get("model_type"));
    }

    @Test
    void aFailingExportKeepsItsLogAndRegistersNothing() throws Exception {
        OptimumCliExporter exporter = new OptimumCliExporter(StandInTools.install(tmp.resolve("bin"), "optimum-cli"),
                Map.of("STANDIN_OPTIMUM_FAIL", "1"), Duration.ofMinutes(1));
        CacheRoot root = CacheRoot.at(tmp.resolve("cache"));
        CompileException e = assertThrows(CompileException.class, () -> exporter.export(
                OptimumExportRequest.of("org/m", "text-classification", 1, 8, "trn1", tmp.resolve("o")), root, (s, f) -> { }));
        Path log = e.log().orElseThrow();
        try {
            assertEquals("optimum-cli export of org/m exited with status 1; its output is in " + log + ", ending:\n"
                    + "stand-in optimum-cli: exporting org/m (text-classification) to " + tmp.resolve("o") + "\n"
                    + "ValueError: stand-in failure requested", e.getMessage());
            assertTrue(Files.readString(log).contains("ValueError: stand-in failure requested"));
            assertEquals(0, root.registry().scan().entries().size());
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void theBackendSpiPointsCheckpointCompilesAtOptimumCli() {
        CompileException e = OptimumCliExporter.checkpointCompileUnsupported();
        assertTrue(e.getMessage().startsWith("the neuron backend cannot compile a Hugging Face checkpoint: turning "
                + "safetensors into HLO needs torch-xla tracing, which Java does not have. Export with optimum-cli instead: "
                + "io.jneuron.neuron.compiler.OptimumCliExporter runs `optimum-cli export neuron --model M --task T "
                + "--batch_size B --sequence_length L --instance_type I OUTPUT` and registers the result ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("; or compile an HLO module you already have with "
                + "io.jneuron.neuron.compiler.NeuronxccDriver; or use --backend cpu"), e.getMessage());
        assertThrows(CompileException.class, () -> OptimumExportRequest.of("m", "t", 1, 8, "inf1", tmp));
    }
}
