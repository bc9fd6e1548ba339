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
}
