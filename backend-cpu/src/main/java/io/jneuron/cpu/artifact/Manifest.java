package io.jneuron.cpu.artifact;

import io.jneuron.core.model.ModelConfig;

import java.util.List;

/**
 * The JSON header of a CPU artifact: what was compiled (config, static shapes as
 * {@link io.jneuron.core.shape.ShapeSpec#toString()}), by which compiler version, from which
 * checkpoint, and where each tensor lies.
 */
public record Manifest(int formatVersion, String compilerVersion, String checkpoint, ModelConfig config,
                       String shape, List<TensorEntry> tensors) {
}
