package io.jneuron.neuron.decoder;

import io.jneuron.core.backend.LoadedModel;
import io.jneuron.core.backend.ModelRuntime;
import io.jneuron.core.export.ExportedModel;
import io.jneuron.core.model.ConfigReader;
import io.jneuron.core.model.ModelConfig;
import io.jneuron.neuron.NeuronConfig;
import io.jneuron.neuron.NeuronModel;
import io.jneuron.neuron.NeuronRuntime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The Neuron backend's {@link ModelRuntime}: loads the NEFF of an exported folder onto a NeuronCore through the
 * JNI binding ({@link NeuronRuntime}, {@link NeuronModel}) and decodes with it ({@link NeffDecoder}). The process's
 * one {@link NeuronRuntime} is opened on the first load and closed with this object, after the models it loaded.
 * Not thread-safe; one per backend instance.
 */
public final class NeffDecoderRuntime implements ModelRuntime, AutoCloseable {
    private final NeuronConfig config;
    private NeuronRuntime runtime;

    public NeffDecoderRuntime(NeuronConfig config) {
        this.config = config;
    }

    /**
     * @param artifact the {@code model.neff} of an exported folder: {@code neuron_config.json} beside it gives the
     *                 static shapes, {@code config.json} the vocabulary
     */
    @Override
    public LoadedModel load(Path artifact) {
        Path folder = artifact.toAbsolutePath().getParent();
        ExportedModel exported = ExportedModel.read(folder);
        ModelConfig modelConfig = ConfigReader.read(folder.resolve("config.json"));
        if (runtime == null) {
            runtime = NeuronRuntime.open(config, Map.of());
        }
        NeuronModel model;
        try {
            model = runtime.load(artifact, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the NEFF " + artifact + ": " + e.getMessage(), e);
        }
        try {
            return new NeffDecoder(model, exported.shape(), modelConfig);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Closes the runtime (and with it any model still open). Idempotent. */
    @Override
    public void close() {
        if (runtime != null) {
            runtime.close();
            runtime = null;
        }
    }
}
