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
 * @param task the entry's {@code _task} (else its neuron config's {@code task})
 * @param compilerType the neuron config's {@code compiler_type} ({@code neuronx-cc}, {@code jneuron-cpu}), else the
 *                     compiler of the folder
 * @param compilerVersion the neuron config's {@code compiler_version} or {@code neuronxcc_version}, else the folder's
 * @param autoCast the entry's {@code auto_cast}: {@code none} (recorded as null, as optimum does), {@code matmul} or
 *                 {@code all}; null when the entry has no such key (NxD decoders)
 * @param autoCastType the precision as optimum's {@code auto_cast_type} spells it (fp32, bf16, fp16): the entry's
 *                     {@code auto_cast_type}, else its dtype in that spelling
 * @param optlevel the compiler optimisation level ("1", "2", "3"), when recorded
 */
public record LookupMatch(Long batchSize, Long sequenceLength, Long tpDegree, String torchDtype, String target,
        String checkpointId, String checkpointRevision, String entry, String source, String path,
        LookupStrategy strategy, CompilerId compiler, String registryVersion, String task, String compilerType,
        String compilerVersion, String autoCast, String autoCastType, String optlevel) {

    /** The same row as found in {@code other} source. */
    public LookupMatch withSource(String other) {
        return new LookupMatch(batchSize, sequenceLength, tpDegree, torchDtype, target, checkpointId, checkpointRevision,
                entry, other, path, strategy, compiler, registryVersion, task, compilerType, compilerVersion, autoCast,
                autoCastType, optlevel);
    }
}
