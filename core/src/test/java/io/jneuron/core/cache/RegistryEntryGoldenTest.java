package io.jneuron.core.cache;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Entries built on the Java side serialise and hash exactly as Python built them (make_goldens.py). */
class RegistryEntryGoldenTest {

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> cases() {
        return (List<Map<String, Object>>) PyJson.parse(Goldens.text("registry/cases.json"), "cases.json");
    }

    @SuppressWarnings("unchecked")
    private static RegistryEntry build(Map<String, Object> c) {
        Map<String, Object> config = (Map<String, Object>) c.get("config");
        Map<String, Object> neuron = (Map<String, Object>) c.get("neuron");
        return switch ((String) c.get("recipe")) {
            case "v0.2" -> RegistryEntry.create(config, neuron, (String) c.get("model_id"), (String) c.get("task"));
            case "v0.0.21" -> RegistryEntry.legacy(config, neuron, EntryRecipe.V0_0_21);
            case "v0.0.18" -> RegistryEntry.legacy(config, neuron, EntryRecipe.V0_0_18);
            default -> throw new IllegalArgumentException(String.valueOf(c.get("recipe")));
        };
    }

    @Test
    void theSpecsWorkedExampleHashesAndSerialisesExactly() {
        Map<String, Object> c = cases().get(0);
        assertEquals("worked-example", c.get("name"));
        RegistryEntry e = build(c);
        assertEquals("a4c4264c36821c82951d", e.hash());
        assertEquals("b6044fb704e3fcc9e20e960f055dac44a44e9a6fd42926649b83378883e430c7", e.archDigest());
        assertEquals(1261, e.toJson().length());
        assertTrue(e.toJson().startsWith("{\n  \"_entry_class\": \"SingleModelCacheEntry\",\n  \"_model_id\": "),
                e.toJson());
        assertEquals(Goldens.text("registry/entries/worked-example.json"), e.toJson());
    }

    @Test
    void everyEntryBuiltInJavaMatchesTheOnePythonBuilt() {
        List<Map<String, Object>> cases = cases();
        assertEquals(6, cases.size());
        for (Map<String, Object> c : cases) {
            RegistryEntry e = build(c);
            String python = Goldens.text("registry/" + c.get("file"));
            if (!python.equals(e.toJson())) {
                fail(c.get("name") + ": " + Goldens.diff(python, e.toJson()));
            }
            assertEquals(c.get("hash"), e.hash(), (String) c.get("name"));
            if (c.get("arch_digest") != null) {
                assertEquals(c.get("arch_digest"), e.archDigest(), (String) c.get("name"));
            }
        }
    }

    @Test
    void parsingAStoredEntryGivesBackTheSameBytesAndHash() {
        for (Map<String, Object> c : cases()) {
            EntryRecipe recipe = switch ((String) c.get("recipe")) {
                case "v0.2" -> EntryRecipe.V0_2;
                case "v0.0.21" -> EntryRecipe.V0_0_21;
                default -> EntryRecipe.V0_0_18;
            };
            byte[] bytes = Goldens.bytes("registry/" + c.get("file"));
            RegistryEntry e = RegistryEntry.parse(bytes, recipe, (String) c.get("file"));
            assertEquals(new String(bytes, StandardCharsets.US_ASCII), e.toJson(), (String) c.get("name"));
            assertEquals(c.get("hash"), e.hash());
            assertEquals(build(c), e);
        }
    }

    @Test
    void id2labelIsHashedWithIntKeysAsTransformersHoldsThem() {
        String json = Goldens.text("registry/entries/bert-id2label.json");
        assertTrue(json.indexOf("\"2\": \"LABEL_2\"") < json.indexOf("\"10\": \"LABEL_10\""), json);
        assertTrue(json.indexOf("\"LABEL_10\": 10") < json.indexOf("\"LABEL_2\": 2"), "label2id keys stay strings");
    }

    @Test
    void whitelistedKeysAreDroppedAndLegacyOnlyDropsTwo() {
        RegistryEntry e = build(cases().get(0));
        for (String k : List.of("torch_dtype", "bos_token_id", "eos_token_id", "_name_or_path", "transformers_version")) {
            assertTrue(!e.asMap().containsKey(k), k);
        }
        RegistryEntry legacy = build(cases().get(4));
        assertTrue(legacy.asMap().containsKey("torch_dtype"));
        assertTrue(!legacy.asMap().containsKey("_name_or_path"));
        assertEquals("llamafactory/tiny-random-Llama-3", legacy.modelId().orElseThrow());
        assertEquals("text-generation", legacy.task().orElseThrow());
    }

    @Test
    void aConfigWithoutModelTypeIsRefusedWithTheReason() {
        CacheException e = assertThrows(CacheException.class,
                () -> RegistryEntry.create(Map.of("hidden_size", 4), Map.of(), "org/m", "text-generation"));
        assertEquals("config of org/m has no \"model_type\"; registry entries are keyed by it, so only transformers "
                + "models (config.json with model_type) can be registered", e.getMessage());
    }

    @Test
    void recipesFollowTheOptimumVersion() {
        assertEquals(EntryRecipe.V0_0_18, EntryRecipe.forVersion("0.0.18").orElseThrow());
        assertEquals(EntryRecipe.V0_0_18, EntryRecipe.forVersion("0.0.20").orElseThrow());
        assertEquals(EntryRecipe.V0_0_21, EntryRecipe.forVersion("0.0.21").orElseThrow());
        assertEquals(EntryRecipe.V0_0_21, EntryRecipe.forVersion("0.1.0").orElseThrow());
        assertEquals(EntryRecipe.V0_2, EntryRecipe.forVersion("0.2.0").orElseThrow());
        assertEquals(EntryRecipe.V0_2, EntryRecipe.forVersion("0.4.6.dev4").orElseThrow());
        assertTrue(EntryRecipe.forVersion("latest").isEmpty());
        assertTrue(EntryRecipe.forVersion("..").isEmpty());
    }
}
