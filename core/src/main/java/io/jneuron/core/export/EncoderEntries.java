package io.jneuron.core.export;

import io.jneuron.core.model.ModelConfig;
import io.jneuron.core.shape.ShapeSpec;

import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code neuron} section of an encoder's registry entry, with the keys optimum-neuron's traced export
 * writes ({@code store_compilation_config}, spec §2.2 and §5.3): one {@code static_<axis>} per mandatory
 * shape, the compiler's auto-cast settings, and the task. jneuron's own compiler type keeps a CPU
 * artifact from posing as a NEFF.
 */
final class EncoderEntries {
    private EncoderEntries() {
    }

    static Map<String, Object> neuronConfig(String backend, String version, ModelConfig config, String task,
                                            ShapeSpec shape, int cores, String instanceType, String optlevel,
                                            String autoCast) {
        Map<String, Object> n = new TreeMap<>();
        // optimum: auto_cast_type is null when auto_cast is none (null)
        n.put("auto_cast", autoCast);
        n.put("auto_cast_type", autoCast == null ? null : shape.dtype().cliName());
        n.put("compiler_type", "jneuron-" + backend);
        n.put("compiler_version", version);
        n.put("dynamic_batch_size", false);
        n.put("float_dtype", "fp32");
        n.put("inline_weights_to_neff", true);
        n.put("instance_type", instanceType == null ? backend : instanceType);
        n.put("int_dtype", "int64");
        n.put("model_type", config.architecture().modelType());
        n.put("optlevel", optlevel == null ? "2" : optlevel);
        n.put("output_attentions", false);
        n.put("output_hidden_states", false);
        n.put("static_batch_size", (long) shape.batchSize());
        n.put("static_sequence_length", (long) shape.sequenceLength());
        n.put("task", task);
        n.put("tensor_parallel_size", (long) cores);
        return n;
    }
}
