package io.jneuron.neuron.compiler;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.Settings;
import io.jneuron.core.backend.BackendUnavailableException;
import io.jneuron.core.export.ExportRequest;
import io.jneuron.core.export.ExportResult;
import io.jneuron.core.export.Exporter;
import io.jneuron.core.export.ShapeRequest;
import io.jneuron.core.model.Architecture;
import io.jneuron.core.shape.DType;
import io.jneuron.core.testing.TinyModelSpec;
import io.jneuron.core.testing.TinyModels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code export --backend neuron} delegated to the STAND-IN optimum-cli through the Backend SPI's
 * {@code ModelExporter}: no device is needed to export, the options map onto optimum's, and without
 * an explicit backend the export stays on what runs here (cpu).
 */
class NeuronExportDelegationTest {
    static final String PROPERTY = "neuron.kernel.optimum_cli";

    @TempDir
    Path tmp;
    Path model;

    @BeforeEach
    void setUp() throws Exception {
        model = tmp.resolve("tiny-llama");
        TinyModels.generate(TinyModelSpec.tiny(Architecture.LLAMA), model);
        System.setProperty(PROPERTY, StandInTools.install(tmp.resolve("bin"), "optimum-cli").toString());
    }

    @AfterEach
    void tearDown() {
        System.clearProperty(PROPERTY);
    }

    ExportRequest request(String instanceType, Path out) {
        return new ExportRequest(model.toString(), out, "text-generation", new ShapeRequest(1, 128, DType.BF16, null),
                2, instanceType, "3", tmp.resolve("cache").toString());
    }

    @Test
    void anExplicitNeuronExportRunsOptimumCliWithoutADevice() throws Exception {
        List<String> stages = new ArrayList<>();
        Path out = tmp.resolve("out");
        ExportResult r = Exporter.export(request("inf2", out), new Settings("neuron", 2), (s, f) -> stages.add(s));
        assertEquals("neuron", r.exported().backend());
        assertEquals(ExportResult.MISS, r.cache());
        assertEquals("2.21.33363.0+82129205", r.exported().compilerVersion());
        assertTrue(Files.isRegularFile(out.resolve("neuron_config.json")));
        assertTrue(r.artifacts().contains("neuron_config.json"), r.artifacts().toString());
        assertNull(r.entry(), "a local model is not registered, as optimum does");
        assertNull(r.module());
        String config = Files.readString(out.resolve("neuron_config.json"));
        assertTrue(config.contains("\"checkpoint_id\": \"" + model + "\""), config);
        assertTrue(config.contains("\"tp_degree\": 2"), config);
        assertTrue(config.contains("\"target\": \"inf2\""), config);
        assertTrue(stages.contains("optimum-cli export neuron " + model), stages.toString());
    }

    @Test
    void aNeuronExportWithoutAnInstanceTypeSaysWhatToAdd() {
        NeuronKernelException e = assertThrows(NeuronKernelException.class,
                () -> Exporter.export(request(null, tmp.resolve("o")), new Settings("neuron", 2), (s, f) -> { }));
        assertEquals("exporting for Neuron without a Neuron device needs --instance_type (trn1, inf2, trn1n or trn2): "
                + "optimum-cli compiles for that target", e.getMessage());
    }

    @Test
    void withoutOptimumCliTheNeuronExportIsRefusedWithTheReason() {
        System.clearProperty(PROPERTY);
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> Exporter.export(request("trn1", tmp.resolve("o")), new Settings("neuron", 2), (s, f) -> { }));
        assertTrue(e.getMessage().startsWith("backend 'neuron' is not available:"), e.getMessage());
        assertTrue(e.getMessage().contains("no optimum-cli to export with"), e.getMessage());
    }
}
