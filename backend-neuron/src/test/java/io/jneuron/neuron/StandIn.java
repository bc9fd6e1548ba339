package io.jneuron.neuron;

import io.jneuron.neuron.neff.NeffWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test NEFFs for the stand-in libnrt (src/test/c): a real NEFF container holding a standin.spec member. */
final class StandIn {
    /** out = a + b over float32 [2, 3]. */
    static final String ADD = """
            function add_f32
            input a float32 2 3
            input b float32 2 3
            output out float32 2 3
            """;
    /** y = x over bfloat16 [4]. */
    static final String IDENTITY_BF16 = """
            function identity
            input x bfloat16 4
            output y bfloat16 4
            """;
    /** total = sum(v) over int32 [5]. */
    static final String SUM = """
            function sum_i32
            input v int32 5
            output total int32 1
            """;

    private StandIn() {
    }

    static NeuronConfig config() {
        return NeuronConfig.fromEnvironment();
    }

    static Path neff(Path dir, String name, String spec) throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("neff.json", "{}".getBytes(StandardCharsets.UTF_8));
        members.put("standin.spec", spec.getBytes(StandardCharsets.UTF_8));
        Path p = dir.resolve(name + ".neff");
        NeffWriter.write(p, name, members, false);
        return p;
    }

    static NeuronRuntime open(Map<String, String> env) {
        Map<String, String> all = new LinkedHashMap<>();
        // clear knobs a previous test may have left in the process environment
        all.put("NRT_STANDIN_FAIL", null);
        all.put("NRT_STANDIN_DTYPES", null);
        all.put("NRT_STANDIN_VERSION", null);
        all.put("NEURON_RT_VISIBLE_CORES", null);
        all.put("NEURON_RT_NUM_CORES", null);
        all.put("NRT_STANDIN_TOTAL_CORES", null);
        all.putAll(env);
        return NeuronRuntime.open(config(), all);
    }

    static NeuronRuntime open() {
        return open(Map.of());
    }

    /** Sets or clears a failure injection on the stand-in (read on every call). */
    static void inject(String spec) {
        NrtLibrary.setenv("NRT_STANDIN_FAIL", spec);
    }
}
