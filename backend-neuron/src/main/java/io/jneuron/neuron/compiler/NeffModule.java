package io.jneuron.neuron.compiler;

import io.jneuron.core.cache.ModuleDir;

import java.nio.file.Path;
import java.util.List;

/**
 * One HLO module compiled into the cache by {@link NeuronxccDriver#compile}.
 *
 * @param module the {@code neuronxcc-<v>/MODULE_<graph key>+<flags hash>} folder, in state SUCCESS
 * @param neff its {@code model.neff}
 * @param graphKey the 20-hex graph key ({@link NeuronxccDriver#graphKey})
 * @param flags the flags it was compiled with, as {@code compile_flags.json} records them
 * @param compiled true when this call ran neuronx-cc; false for a cache hit
 */
public record NeffModule(ModuleDir module, Path neff, String graphKey, List<String> flags, boolean compiled) {
}
