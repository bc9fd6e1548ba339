package io.jneuron.cpu;

import io.jneuron.core.Settings;
import io.jneuron.core.backend.Backend;
import io.jneuron.core.backend.Compiler;
import io.jneuron.core.backend.LoadedModel;
import io.jneuron.core.backend.ModelRuntime;
import io.jneuron.cpu.artifact.ArtifactReader;
import io.jneuron.cpu.decoder.DecoderLoader;
import io.jneuron.cpu.encoder.CpuEncoder;

import java.nio.file.Path;

/** The embedded CPU backend: always available, runs anywhere a JVM does. */
final class CpuBackend implements Backend {
    private final Settings settings;
    private final CpuCompiler compiler = new CpuCompiler();

    CpuBackend(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return CpuBackendProvider.NAME;
    }

    @Override
    public Compiler compiler() {
        return compiler;
    }

    @Override
    public ModelRuntime runtime() {
        return this::load;
    }

    private LoadedModel load(Path artifact) {
        try (ArtifactReader reader = ArtifactReader.open(artifact)) {
            if (CpuEncoder.isEncoder(reader)) {
                return CpuEncoder.load(reader, settings.threads());
            }
            return new CpuLoadedModel(DecoderLoader.load(reader), settings.threads());
        }
    }

    @Override
    public void close() {
        // Loaded models own their pools and are closed by their owners.
    }
}
