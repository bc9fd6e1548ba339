package io.jneuron.core.cache;

import io.jneuron.core.hub.HubConfig;
import io.jneuron.core.model.ModelResolver;
import io.jneuron.core.model.ModelSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegistryWriteLookupTest {
    @TempDir
    Path root;

    @Test
    void writeFilesTheWorkedExampleWhereOptimumWouldWithAnAlias() throws Exception {
        WrittenEntry w = Registry.local(root).write(Fixtures.NEURONXCC, "0.4.6.dev4", Fixtures.entry("worked-example"));
        Path version = root.resolve("neuronxcc-2.21.33363.0+82129205/0_REGISTRY/0.4.6.dev4");
        assertEquals(version.resolve("b6044fb704e3fcc9e20e960f055dac44a44e9a6fd42926649b83378883e430c7/"
                + "a4c4264c36821c82951d.json"), w.canonical());
        assertEquals(version.resolve("llama/llamafactory/tiny-random-Llama-3/a4c4264c36821c82951d.json"), w.alias());
        assertArrayEquals(Goldens.bytes("registry/entries/worked-example.json"), Files.readAllBytes(w.canonical()));
        assertTrue(Files.isSymbolicLink(w.alias()));
        assertEquals(w.canonical().toRealPath(), w.alias().toRealPath());
        assertTrue(w.created());
        assertFalse(Registry.local(root).write(Fixtures.NEURONXCC, "0.4.6.dev4", Fixtures.entry("worked-example")).created());
        assertEquals(List.of(), Files.list(w.canonical().getParent()).filter(p -> p.getFileName().toString()
                .startsWith(".jneuron-tmp")).toList(), "no temp files left");
        assertTrue(Registry.local(root).find(Fixtures.NEURONXCC, "0.4.6.dev4", Fixtures.entry("worked-example")).isPresent());
        assertTrue(Registry.local(root).find(Fixtures.NEURONXCC, "0.4.6.dev4", Fixtures.entry("llama-bs1")).isEmpty());
    }

    @Test
    void writeRefusesModelIdsThatAreNotHubIds() {
        Map<String, Object> neuron = Map.of("batch_size", 1L);
        for (String id : List.of("../../etc", "/tmp/model", "org/../../x", "a/b/c", "org/.hidden/..")) {
            RegistryEntry e = RegistryEntry.create(Fixtures.config("worked-example"), neuron, id, "text-generation");
            CacheException ex = assertThrows(CacheException.class, () -> Registry.local(root).write(Fixtures.NEURONXCC, e));
            assertTrue(ex.getMessage().startsWith("model id '" + id + "' is not a Hub id"), ex.getMessage());
        }
        assertFalse(Files.exists(root.resolve("etc")));
    }

    @Test
    void lookupFindsTheArchDigestFolderFromTheHubCacheConfig() {
        Registry registry = fixtureRegistry();
        ModelSource m = new ModelResolver(HubConfig.of("http://127.0.0.1:9", null, Goldens.path("registry/hf-home"))
                .withOffline(true)).resolve(Fixtures.LLAMA, ModelResolver.Need.CONFIG);
        assertEquals("0123456789abcdef0123456789abcdef01234567", m.revision());
        List<LookupMatch> rows = registry.lookup(LookupQuery.of(m.modelId(), m.config()), noProblems());
        assertEquals(2, rows.size(), rows.toString());
        assertTrue(rows.stream().allMatch(r -> r.strategy() == LookupStrategy.ARCH_DIGEST));
        LookupMatch first = rows.get(0); // sorted by tp, batch, seq
        assertEquals(List.of(1L, 1L, 128L, "float32"), List.of(first.tpDegree(), first.batchSize(), first.sequenceLength(),
                first.torchDtype()));
        assertEquals(List.of(2L, 2L, 512L, "bfloat16", "trn1", "a4c4264c36821c82951d", "local"),
                List.of(rows.get(1).tpDegree(), rows.get(1).batchSize(), rows.get(1).sequenceLength(),
                        rows.get(1).torchDtype(), rows.get(1).target(), rows.get(1).entry(), rows.get(1).source()));
        assertEquals("neuronxcc-2.21.33363.0+82129205/0_REGISTRY/0.4.5/"
                + "b6044fb704e3fcc9e20e960f055dac44a44e9a6fd42926649b83378883e430c7/a4c4264c36821c82951d.json", rows.get(1).path());
    }

    @Test
    void lookupAppliesOptimumsEqualityFiltersWithNormalisedTargetAndDtype() {
        Registry registry = fixtureRegistry();
        LookupQuery q = LookupQuery.of(Fixtures.LLAMA, Fixtures.config("worked-example")).withTask("text-generation");
        assertEquals(List.of("a4c4264c36821c82951d"), hashes(registry.lookup(q.withBatchSize(2L), noProblems())));
        assertEquals(List.of("a4c4264c36821c82951d"), hashes(registry.lookup(q.withDtype("bf16"), noProblems())));
        assertEquals(List.of("a4c4264c36821c82951d"),
                hashes(registry.lookup(q.withInstanceType("inf2").withSequenceLength(512L).withTensorParallelSize(2L),
                        noProblems())));
        assertEquals(List.of(), registry.lookup(q.withInstanceType("trn2"), noProblems()));
        assertEquals(List.of(), registry.lookup(q.withBatchSize(3L), noProblems()));
    }

    @Test
    void lookupFallsBackToAliasFoldersWhenTheDigestIsUnknown() {
        Map<String, Object> changed = new LinkedHashMap<>(Fixtures.config("worked-example"));
        changed.put("rope_theta", 10000.0); // another digest: only the model id can find the entries now
        List<LookupMatch> rows = fixtureRegistry().lookup(LookupQuery.of(Fixtures.LLAMA, changed), noProblems());
        assertTrue(rows.stream().allMatch(r -> r.strategy() == LookupStrategy.ALIAS), rows.toString());
        assertEquals(List.of("a4c4264c36821c82951d", "f1a0894d9302e6defdc6", "3d61e3291838de85cd9b", "4dea6392bffeae5d348b"),
                rows.stream().map(LookupMatch::entry).sorted((a, b) -> order(a) - order(b)).toList());
    }

    private static int order(String h) {
        return List.of("a4c4264c36821c82951d", "f1a0894d9302e6defdc6", "3d61e3291838de85cd9b", "4dea6392bffeae5d348b")
                .indexOf(h);
    }

    @Test
    void lookupFallsBackToConfigComparisonForAnUnknownModelId() {
        Map<String, Object> cfg = new LinkedHashMap<>(Fixtures.config("worked-example"));
        cfg.put("rope_theta", 500000); // an int equal to the stored float still compares equal, as in Python
        cfg.put("dtype", "float16"); // ignored by the comparison (OptimumCompat.CONFIG_COMPARE_IGNORED)
        cfg.put("vocab_size", 128256L);
        cfg.put("_name_or_path", "elsewhere");
        List<LookupMatch> rows = fixtureRegistry().lookup(LookupQuery.of("someone/fine-tune", cfg), noProblems());
        assertTrue(!rows.isEmpty() && rows.stream().allMatch(r -> r.strategy() == LookupStrategy.CONFIG), rows.toString());
        assertTrue(hashes(rows).contains("a4c4264c36821c82951d"));
        // Lenient like optimum's older has_same_arch: an entry with extra keys still agrees on all common ones.
        assertTrue(hashes(rows).contains("6c8668822bd2057f6366"));
        cfg.put("hidden_size", 32L);
        assertEquals(List.of(), fixtureRegistry().lookup(LookupQuery.of("someone/fine-tune", cfg), noProblems()));
    }

    @Test
    void aMissIsAnEmptyList() {
        Map<String, Object> gpt2 = Map.of("model_type", "gpt2", "architectures", List.of("GPT2LMHeadModel"), "n_embd", 8L);
        assertEquals(List.of(), fixtureRegistry().lookup(LookupQuery.of("openai-community/gpt2", gpt2), noProblems()));
        assertEquals(List.of(), Registry.local(root.resolve("missing")).lookup(LookupQuery.of("a/b", gpt2), noProblems()));
    }

    private Registry fixtureRegistry() {
        Path cache = root.resolve("cache");
        if (!Files.exists(cache)) {
            Goldens.copyTree("registry/cache", cache);
        }
        return Registry.local(cache);
    }

    private static List<String> hashes(List<LookupMatch> rows) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.entry()));
        return out;
    }

    private static java.util.function.Consumer<RegistryProblem> noProblems() {
        return p -> {
            throw new AssertionError("unexpected problem " + p);
        };
    }
}
