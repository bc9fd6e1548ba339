package io.jneuron.neuron.compiler;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link OptimumCliExporter} asks {@code optimum-cli export neuron} for (spec optimum-neuron-cache §5.1). Option
 * names and values are optimum's own; null leaves optimum's default.
 *
 * @param model a Hub id or a local checkpoint folder ({@code --model})
 * @param task e.g. {@code text-classification} or {@code text-generation} ({@code --task}); null for optimum's {@code auto}
 * @param instanceType {@code trn1}, {@code inf2}, {@code trn1n} or {@code trn2}; required where no device is present
 * @param autoCast {@code none}, {@code matmul} or {@code all}
 * @param optlevel 1, 2 or 3 ({@code -O<n>}), or null
 * @param output the folder optimum writes
 */
public record OptimumExportRequest(String model, String task, Integer batchSize, Integer sequenceLength,
                                   String instanceType, String autoCast, String autoCastType,
                                   Integer tensorParallelSize, Integer optlevel, Path output) {
    public OptimumExportRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(output, "output");
        if (optlevel != null && (optlevel < 1 || optlevel > 3)) {
            throw new CompileException("optimum-cli -O" + optlevel + " is not valid; use 1, 2 or 3", null);
        }
        if (instanceType != null && !NeuronxccFlags.TARGETS.contains(instanceType)) {
            throw new CompileException("--instance_type " + instanceType + " is not valid; use one of "
                    + new java.util.TreeSet<>(NeuronxccFlags.TARGETS), null);
        }
    }

    /** The common encoder case: model, task, batch size and sequence length, the rest optimum's defaults. */
    public static OptimumExportRequest of(String model, String task, int batchSize, int sequenceLength,
                                          String instanceType, Path output) {
        return new OptimumExportRequest(model, task, batchSize, sequenceLength, instanceType, null, null, null, null,
                output);
    }

    /** The arguments after {@code optimum-cli}: {@code export neuron --model M … OUTPUT}. */
    public List<String> arguments() {
        List<String> a = new ArrayList<>(List.of("export", "neuron", "--model", model));
        add(a, "--task", task);
        add(a, "--batch_size", batchSize);
        add(a, "--sequence_length", sequenceLength);
        add(a, "--instance_type", instanceType);
        add(a, "--auto_cast", autoCast);
        add(a, "--auto_cast_type", autoCastType);
        add(a, "--tensor_parallel_size", tensorParallelSize);
        if (optlevel != null) {
            a.add("-O" + optlevel);
        }
        a.add(output.toString());
        return a;
    }

    private static void add(List<String> a, String flag, Object value) {
        if (value != null) {
            a.add(flag);
            a.add(value.toString());
        }
    }
}
