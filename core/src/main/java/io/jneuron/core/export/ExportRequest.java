package io.jneuron.core.export;

import java.nio.file.Path;

/**
 * What {@code export} was asked for, with optimum-cli's option names in mind.
 *
 * @param numCores     {@code --num_cores} / {@code --tensor_parallel_size}; null means 1
 * @param instanceType {@code --instance_type} (trn1, inf2, trn1n, trn2), or null
 * @param optlevel     {@code -O1}/{@code -O2}/{@code -O3} ({@code --optlevel}): "1", "2" or "3"; null means 2
 * @param cacheDir     {@code --cache_dir}, else the Neuron compile cache root from the environment
 * @param autoCast     {@code --auto_cast} none, matmul or all; null derives it from the dtype ({@link AutoCast})
 */
public record ExportRequest(String model, Path output, String task, ShapeRequest shape, Integer numCores,
                            String instanceType, String optlevel, String cacheDir, String autoCast) {
    /** Without {@code --auto_cast}: a bf16/fp16 dtype means matmul, as before the option existed. */
    public ExportRequest(String model, Path output, String task, ShapeRequest shape, Integer numCores,
                         String instanceType, String optlevel, String cacheDir) {
        this(model, output, task, shape, numCores, instanceType, optlevel, cacheDir, null);
    }

    /** Text generation with default shapes: batch 1, the model's sequence length (at most 1024), fp32. */
    public static ExportRequest of(String model, String output) {
        return new ExportRequest(model, Path.of(output), null, ShapeRequest.NONE, null, null, null, null);
    }

    public ExportRequest withShape(int batchSize, int sequenceLength) {
        return new ExportRequest(model, output, task, new ShapeRequest(batchSize, sequenceLength, shape.dtype(),
                shape.buckets()), numCores, instanceType, optlevel, cacheDir, autoCast);
    }

    public ExportRequest withCacheDir(String dir) {
        return new ExportRequest(model, output, task, shape, numCores, instanceType, optlevel, dir, autoCast);
    }

    /** {@code --auto_cast none|matmul|all}. */
    public ExportRequest withAutoCast(String cast) {
        return new ExportRequest(model, output, task, shape, numCores, instanceType, optlevel, cacheDir, cast);
    }

    /** {@code -O1}, {@code -O2} or {@code -O3}. */
    public ExportRequest withOptlevel(int level) {
        return new ExportRequest(model, output, task, shape, numCores, instanceType, String.valueOf(level), cacheDir,
                autoCast);
    }
}
