package io.jneuron.neuron.decoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jneuron.core.Settings;
import io.jneuron.core.backend.Availability;
import io.jneuron.core.backend.Backend;
import io.jneuron.core.backend.BackendUnavailableException;
import io.jneuron.core.backend.Backends;
import io.jneuron.core.backend.Capability;
import io.jneuron.core.cli.Main;
import io.jneuron.core.export.ExportedModel;
import io.jneuron.core.model.Architecture;
import io.jneuron.core.model.ConfigReader;
import io.jneuron.core.shape.BucketPlan;
import io.jneuron.core.shape.DType;
import io.jneuron.core.shape.ShapeSpec;
import io.jneuron.core.testing.TinyModelSpec;
import io.jneuron.core.testing.TinyModels;
import io.jneuron.neuron.neff.NeffWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code generate} of a NEFF export goes through the Backend SPI to the JNI binding: the neuron provider is
 * selected (stand-in libnrt plus a fake device tree), its declared runtime loads the NEFF, and the stand-in's
 * toy decoder ({@code next_token}: the next id is the last one plus 1) drives the usual generation loop.
 * Everything here runs against the stand-in libnrt only, never a Neuron device.
 */
class NeffGenerateThroughSpiTest {
    @TempDir
    Path tmp;
    final Map<String, String> saved = new LinkedHashMap<>();

    @BeforeEach
    void fakeDeviceTree() throws Exception {
        Path dev = Files.createDirectories(tmp.resolve("dev"));
        Files.createFile(dev.resolve("neuron0"));
        Path cores = tmp.resolve("sys/devices/virtual/neuron_device/neuron0/core_count");
        Files.createDirectories(cores.getParent());
        Files.writeString(cores, "2\n");
        setProperty("neuron.kernel.dev_root", dev.toString());
        setProperty("neuron.kernel.sys_root", tmp.resolve("sys").toString());
    }

    @AfterEach
    void restore() {
        saved.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
    }

    private void setProperty(String key, String value) {
        saved.put(key, System.getProperty(key));
        System.setProperty(key, value);
    }

    /** An exported folder as a NEFF export lays it out: config.json, model.neff, neuron_config.json. */
    private Path neffExport(int batch, int seq) throws Exception {
        Path folder = tmp.resolve("tiny-neff");
        TinyModels.generate(TinyModelSpec.tiny(Architecture.LLAMA), folder);
        int vocab = ConfigReader.read(folder.resolve("config.json")).vocabSize();
        String spec = "function next_token\n"
                + "input input_ids int32 " + batch + " " + seq + "\n"
                + "input lengths int32 " + batch + "\n"
                + "output logits float32 " + batch + " " + vocab + "\n";
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("neff.json", "{}".getBytes(StandardCharsets.UTF_8));
        members.put("standin.spec", spec.getBytes(StandardCharsets.UTF_8));
        NeffWriter.write(folder.resolve("model.neff"), "next_token", members, false);
        new ExportedModel(folder, "neuron", "standin", new ShapeSpec(batch, seq, BucketPlan.defaults(seq), DType.FP32),
                "model.neff", "local/tiny-neff", null, "text-generation", null).write();
        return folder;
    }

    @Test
    void generateOfANeffExportRunsThroughTheNeuronBackendsDeclaredRuntime() throws Exception {
        Path folder = neffExport(1, 32);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute("generate",
                folder.toString(), "--prompt-ids", "5,6,7", "--max_new_tokens", "4", "--format", "json");
        assertEquals(0, code, err.toString());
        JsonNode j = new ObjectMapper().readTree(out.toString());
        assertEquals("neuron", j.get("backend").asText());
        assertEquals("[[8,9,10,11]]", j.get("generated_ids").toString(), "each step ran the NEFF on the stand-in");
        assertFalse(j.has("export"), "an exported model is loaded, not compiled");
    }

    @Test
    void theNeuronBackendDeclaresWhatItCanDoInsteadOfThrowing() {
        Backend b = Backends.providers().stream().filter(p -> p.name().equals("neuron")).findFirst().orElseThrow()
                .create(new Settings(null, 1));
        try (b) {
            Map<Capability, Availability> caps = b.capabilities();
            assertTrue(caps.get(Capability.RUN).available(), caps.toString());
            assertTrue(b.runtime().isPresent());
            assertFalse(caps.get(Capability.COMPILE).available());
            assertTrue(b.compiler().isEmpty());
            BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> Backends.compiler(b));
            assertTrue(e.getMessage().startsWith("the neuron backend cannot compile a Hugging Face checkpoint"),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith("(it can run)") || e.getMessage().endsWith("(it can export, run)"),
                    e.getMessage());
        }
    }

    @Test
    void aNeffThatBreaksTheDecoderContractIsRefusedWithTheExpectedShapes() throws Exception {
        Path folder = neffExport(1, 32);
        // The same NEFF claimed for batch 2: the tensor info disagrees, and the message says what was expected.
        ExportedModel e = ExportedModel.read(folder);
        new ExportedModel(folder, e.backend(), e.compilerVersion(), new ShapeSpec(2, 32, BucketPlan.defaults(32),
                DType.FP32), e.artifact(), e.checkpointId(), null, e.task(), null).write();
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true)).execute(
                "generate", folder.toString(), "--prompt-ids", "5,6,7", "--max_new_tokens", "2");
        assertEquals(1, code);
        assertTrue(err.toString().contains("model.neff: expected input 'input_ids' INT32 [2, 32], found INT32 [1, 32]"),
                err.toString());
    }
}
