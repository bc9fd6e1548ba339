package io.jneuron.core.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A benchmark, not a test: builds a local cache with thousands of registry entries over many models (two neuronxcc
 * folders and a jneuron-cpu one; the v0.4.5 layout plus v0.3.0 model-id folders) and prints the median and p90
 * time of {@link Registry#lookup} per strategy. Run it with {@code bench/lookup.sh [MODELS] [ROUNDS]}.
 */
public final class LookupBench {
    private LookupBench() {
    }

    public static void main(String[] args) throws IOException {
        int models = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Path root = Files.createTempDirectory("jneuron-lookup-bench");
        try {
            run(root, models, rounds);
        } finally {
            try (Stream<Path> s = Files.walk(root)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(Path root, int models, int rounds) throws IOException {
        List<CompilerId> compilers = List.of(new CompilerId("neuronxcc", "2.21.33363.0+82129205"),
                new CompilerId("neuronxcc", "2.19.8089.0+8ab9f450"), new CompilerId("jneuron-cpu", "0.1.0"));
        String[] types = {"llama", "mistral", "qwen2", "gemma"};
        long[][] shapes = {{1, 128, 1}, {1, 512, 2}, {2, 512, 2}, {4, 1024, 8}, {8, 2048, 8}, {16, 4096, 32}};
        Registry registry = Registry.local(root);
        long t0 = System.nanoTime();
        int entries = 0;
        for (int m = 0; m < models; m++) {
            Map<String, Object> cfg = config(types[m % types.length], 16L * (1 + m / 8)); // 8 checkpoints share an arch
            String id = "org" + (m % 17) + "/model-" + m;
            for (CompilerId c : compilers) {
                for (long[] s : shapes) {
                    String dtype = (s[0] + m) % 2 == 0 ? "bfloat16" : "float16";
                    RegistryEntry e = RegistryEntry.create(cfg, neuron(id, s, dtype, c), id, "text-generation");
                    registry.write(c, e);
                    entries++;
                    if (m % 3 == 0 && c == compilers.get(1)) { // an older, v0.2.0-v0.4.4 registry too
                        Path old = root.resolve(c.folderName() + "/0_REGISTRY/0.3.0/" + e.modelType().orElseThrow()
                                + "/" + id + "/" + e.hash() + ".json");
                        Files.createDirectories(old.getParent());
                        Files.writeString(old, e.toJson(), StandardCharsets.US_ASCII);
                        entries++;
                    }
                }
            }
        }
        long files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile).count();
        }
        System.out.printf("cache: %d models, %d entries (%d files incl. aliases) in %s, built in %d ms%n", models, entries,
                files, root, (System.nanoTime() - t0) / 1_000_000);

        int m = models / 2; // a model in the middle of the cache
        String id = "org" + (m % 17) + "/model-" + m;
        Map<String, Object> cfg = config(types[m % types.length], 16L * (1 + m / 8));
        Map<String, Object> changed = new LinkedHashMap<>(cfg);
        changed.put("rope_theta", 10000.0);
        Map<String, Object> extra = new LinkedHashMap<>(cfg);
        extra.put("attention_bias", false);
        Map<String, Supplier<LookupQuery>> cases = new LinkedHashMap<>();
        LookupQuery digest = LookupQuery.of(id, cfg).withTask("text-generation");
        cases.put("arch-digest, no filter", () -> digest);
        cases.put("arch-digest, all filters", () -> digest.withBatchSize(2L).withSequenceLength(512L)
                .withTensorParallelSize(2L).withDtype("bf16").withInstanceType("inf2"));
        cases.put("alias fall-back", () -> LookupQuery.of(id, changed).withTask("text-generation"));
        cases.put("config fall-back (all of its model_type)", () -> LookupQuery.of("unknown/model", extra)
                .withTask("text-generation"));
        cases.put("miss", () -> LookupQuery.of("openai-community/gpt2",
                Map.of("model_type", "gpt2", "architectures", List.of("GPT2LMHeadModel"), "n_embd", 8L)));
        for (Map.Entry<String, Supplier<LookupQuery>> c : cases.entrySet()) {
            LookupQuery q = c.getValue().get();
            int rows = 0;
            for (int i = 0; i < Math.max(5, rounds / 10); i++) { // warm-up
                rows = registry.lookup(q, p -> { }).size();
            }
            long[] ns = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                long t = System.nanoTime();
                registry.lookup(q, p -> { });
                ns[i] = System.nanoTime() - t;
            }
            java.util.Arrays.sort(ns);
            System.out.printf("%-42s %4d rows  median %8.3f ms  p90 %8.3f ms  (%d runs)%n", c.getKey(), rows,
                    ns[rounds / 2] / 1e6, ns[rounds * 9 / 10] / 1e6, rounds);
        }
    }

    private static Map<String, Object> config(String type, long hidden) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("architectures", List.of(Character.toUpperCase(type.charAt(0)) + type.substring(1) + "ForCausalLM"));
        c.put("hidden_size", hidden);
        c.put("intermediate_size", hidden * 4);
        c.put("model_type", type);
        c.put("num_attention_heads", 4L);
        c.put("num_hidden_layers", 2L);
        c.put("rms_norm_eps", 1e-05);
        c.put("rope_theta", 500000.0);
        c.put("vocab_size", 32000L);
        c.put("torch_dtype", "bfloat16");
        c.put("transformers_version", "4.57.1");
        return c;
    }

    private static Map<String, Object> neuron(String id, long[] s, String dtype, CompilerId c) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("_serialized_key", "NxDNeuronConfig");
        n.put("optimum_neuron_version", OptimumCompat.REGISTRY_VERSION);
        n.put("neuronxcc_version", c.version());
        n.put("checkpoint_id", id);
        n.put("checkpoint_revision", "0123456789abcdef0123456789abcdef01234567");
        n.put("batch_size", s[0]);
        n.put("max_batch_size", s[0]);
        n.put("sequence_length", s[1]);
        n.put("tp_degree", s[2]);
        n.put("torch_dtype", dtype);
        n.put("target", "trn1");
        return n;
    }
}
