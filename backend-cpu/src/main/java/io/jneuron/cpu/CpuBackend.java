package io.jneuron.cpu;

import io.jneuron.core.Settings;
import io.jneuron.core.backend.Availability;
import io.jneuron.core.backend.Backend;
import io.jneuron.core.backend.Capability;
import io.jneuron.core.backend.Compiler;
import io.jneuron.core.backend.LoadedModel;
import io.jneuron.core.backend.ModelRuntime;
import io.jneuron.cpu.artifact.ArtifactReader;
import io.jneuron.cpu.decoder.DecoderLoader;
import io.jneuron.cpu.encoder.CpuEncoder;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

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
    public Map<Capability, Availability> capabilities() {
        Map<Capability, Availability> m = new EnumMap<>(Capability.class);
        m.put(Capability.EXPORT, Availability.no("the cpu backend compiles checkpoints itself; no external exporter"));
        m.put(Capability.COMPILE, Availability.yes("packs weights for the static shapes"));
        m.put(Capability.RUN, Availability.yes("pure-Java decoders, " + settings.threads() + " threads"));
        return m;
    }

    @Override
    public Optional<Compiler> compiler() {
        return Optional.of(compiler);
    }

    @Override
    public Optional<ModelRuntime> runtime() {
        return Optional.of(this::load);
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
