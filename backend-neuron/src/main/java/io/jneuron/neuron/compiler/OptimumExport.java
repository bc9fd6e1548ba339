package io.jneuron.neuron.compiler;

import io.jneuron.core.cache.CompilerId;
import io.jneuron.core.cache.RegistryEntry;
import io.jneuron.core.cache.WrittenEntry;

import java.nio.file.Path;
import java.util.List;

/**
 * A finished {@code optimum-cli export neuron} and the registry entry filed for it.
 *
 * @param output the folder optimum wrote
 * @param compiler the compiler folder the entry was filed under ({@code neuronxcc-<version>})
 * @param entry the entry, built from the output's config and its neuron section
 * @param written where the entry and its alias were written in the local registry; null for a model exported
 *                from a local folder, which optimum does not register either
 * @param command the command that ran
 */
public record OptimumExport(Path output, CompilerId compiler, RegistryEntry entry, WrittenEntry written,
                            List<String> command) {
}
