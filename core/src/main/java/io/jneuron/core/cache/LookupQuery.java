package io.jneuron.core.cache;

import java.util.Map;

/**
 * What {@link Registry#lookup} looks for: a model (its id and {@code config.json}) and optimum's optional
 * equality filters (spec §3.2 step 6). Null filters match everything.
 *
 * @param modelId the Hub id, used for the alias folders (may be null for a local folder without one)
 * @param config the model's {@code config.json} as parsed by {@link PyJson}
 * @param task e.g. {@code text-generation}; null infers it ({@link OptimumCompat#inferTask})
 */
public record LookupQuery(String modelId, Map<String, Object> config, String task, Long batchSize,
        Long sequenceLength, Long tensorParallelSize, String dtype, String instanceType) {

    public LookupQuery {
        // Not Map.copyOf: config.json values may be null ("rope_scaling": null).
        config = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(config));
    }

    public static LookupQuery of(String modelId, Map<String, Object> config) {
        return new LookupQuery(modelId, config, null, null, null, null, null, null);
    }

    public LookupQuery withTask(String t) {
        return new LookupQuery(modelId, config, t, batchSize, sequenceLength, tensorParallelSize, dtype, instanceType);
    }

    public LookupQuery withBatchSize(Long b) {
        return new LookupQuery(modelId, config, task, b, sequenceLength, tensorParallelSize, dtype, instanceType);
    }

    public LookupQuery withSequenceLength(Long s) {
        return new LookupQuery(modelId, config, task, batchSize, s, tensorParallelSize, dtype, instanceType);
    }

    public LookupQuery withTensorParallelSize(Long tp) {
        return new LookupQuery(modelId, config, task, batchSize, sequenceLength, tp, dtype, instanceType);
    }

    public LookupQuery withDtype(String d) {
        return new LookupQuery(modelId, config, task, batchSize, sequenceLength, tensorParallelSize, d, instanceType);
    }

    public LookupQuery withInstanceType(String i) {
        return new LookupQuery(modelId, config, task, batchSize, sequenceLength, tensorParallelSize, dtype, i);
    }
}
