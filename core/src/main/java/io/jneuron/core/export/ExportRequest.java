package io.jneuron.core.export;

import java.nio.file.Path;

/**
 * What {@code export} was asked for, with optimum-cli's option names in mind.
 *
 * @param numCores     {@code --num_cores} / {@code --tensor_parallel_size}; null means 1
 * @param instanceType {@code --instance_type} (trn1, inf2, trn1n, trn2), or null
 * @param cacheDir     {@code --cache_dir}, else the Neuron compile cache root from the environment
 */
public record ExportRequest(String model, Path output, String task, ShapeRequest shape, Integer numCores,
                            String instanceType, String optlevel, String cacheDir) {
    /** Text generation with default shapes: batch 1, the model's sequence length (at most 1024), fp32. */
    public static ExportRequest of(String model, String output) {
        return new ExportRequest(model, Path.of(output), null, ShapeRequest.NONE, null, null, null, null);
    }

    public ExportRequest withShape(int batchSize, int sequenceLength) {
        return new ExportRequest(model, output, task, new ShapeRequest(batchSize, sequenceLength, shape.dtype(),
                shape.buckets()), numCores, instanceType, optlevel, cacheDir);
    }

    public ExportRequest withCacheDir(String dir) {
        return new ExportRequest(model, output, task, shape, numCores, instanceType, optlevel, dir);
    }
}
