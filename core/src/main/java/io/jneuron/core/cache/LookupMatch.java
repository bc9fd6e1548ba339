package io.jneuron.core.cache;

/**
 * One cached configuration of the model (a row of {@code cache lookup}, docs/cli.md). Fields an entry does
 * not record are null.
 *
 * @param entry the entry hash
 * @param source {@code local} or {@code hub}
 * @param path the entry file, relative to the cache root
 * @param strategy how it was found
 * @param compiler the compiler folder
 * @param registryVersion the optimum-neuron version folder
 */
public record LookupMatch(Long batchSize, Long sequenceLength, Long tpDegree, String torchDtype, String target,
        String checkpointId, String checkpointRevision, String entry, String source, String path,
        LookupStrategy strategy, CompilerId compiler, String registryVersion) {
}
