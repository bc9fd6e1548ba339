package io.jneuron.core.generate;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.model.GenerationConfig;
import io.jneuron.core.model.ModelFormatException;
import io.jneuron.core.model.SpecialTokens;
import io.jneuron.core.model.SpecialTokensReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** generation_config.json defaults under the user's options, each setting with its source. */
class GenerationSettingsTest {
    @TempDir
    Path dir;

    /** Qwen2.5-Instruct's generation_config.json, plus max_new_tokens and min_new_tokens. */
    private static final String QWEN = "{\"bos_token_id\": 151643, \"pad_token_id\": 151643, \"do_sample\": true, "
            + "\"eos_token_id\": [151645, 151643], \"repetition_penalty\": 1.05, \"temperature\": 0.7, \"top_p\": 0.8, "
            + "\"top_k\": 20, \"max_new_tokens\": 50, \"min_new_tokens\": 3, \"transformers_version\": \"4.37.0\"}";

    private GenerationSettings resolve(String json, GenerationOptions user, int prompt, int seq) throws Exception {
        if (json != null) {
            Files.writeString(dir.resolve("generation_config.json"), json);
        }
        SpecialTokens special = SpecialTokensReader.read(dir, t -> null);
        return GenerationSettings.resolve(user, GenerationConfig.read(dir), special, prompt, seq);
    }

    private static String source(GenerationSettings g, String name) {
        return g.settings().get(name).source();
    }

    @Test
    void withoutAFileDecodingIsGreedyWithTheDefaults() throws Exception {
        GenerationSettings g = resolve(null, GenerationOptions.NONE, 5, 128);
        assertEquals(SamplingParams.GREEDY, g.sampling());
        assertEquals(20, g.maxNewTokens());
        assertEquals(0, g.minNewTokens());
        assertEquals(1.0, g.repetitionPenalty());
        assertEquals(List.of(), g.eosIds());
        for (String k : List.of("do_sample", "repetition_penalty", "max_new_tokens", "min_new_tokens", "eos_token_id")) {
            assertEquals(GenerationSettings.DEFAULT, source(g, k), k);
        }
        assertFalse(g.settings().containsKey("temperature"), "sampling settings are not shown for greedy decoding");
    }

    @Test
    void theFilesDefaultsApplyWithTheirSources() throws Exception {
        GenerationSettings g = resolve(QWEN, GenerationOptions.NONE, 5, 128);
        assertEquals(SamplingParams.sample(0.7, 20, 0.8, 0), g.sampling());
        assertEquals(GenerationSettings.DEFAULT, source(g, "seed"));
        assertEquals(1.05, g.repetitionPenalty());
        assertEquals(50, g.maxNewTokens());
        assertEquals(3, g.minNewTokens());
        assertEquals(List.of(151645, 151643), g.eosIds());
        assertEquals(151643, g.padId());
        for (String k : List.of("do_sample", "temperature", "top_k", "top_p", "repetition_penalty", "max_new_tokens",
                "min_new_tokens", "eos_token_id", "pad_token_id")) {
            assertEquals(GenerationSettings.FILE, source(g, k), k);
        }
        Map<String, Object> json = g.json();
        assertEquals(Map.of("value", 0.7, "source", "generation_config.json"), json.get("temperature"));
        assertEquals("0.7 (generation_config.json)", g.cells().get("temperature"));
        assertEquals("[151645,151643] (generation_config.json)", g.cells().get("eos_token_id"));
    }

    @Test
    void theUsersOptionsOverrideTheFile() throws Exception {
        GenerationOptions user = new GenerationOptions(8, 1, null, 1.3, null, 0.95, 1.2, 7L);
        GenerationSettings g = resolve(QWEN, user, 5, 128);
        assertEquals(SamplingParams.sample(1.3, 20, 0.95, 7), g.sampling(), "top_k still from the file");
        assertEquals(GenerationSettings.USER, source(g, "temperature"));
        assertEquals(GenerationSettings.USER, source(g, "seed"));
        assertEquals(GenerationSettings.FILE, source(g, "top_k"));
        assertEquals(GenerationSettings.USER, source(g, "top_p"));
        assertEquals(8, g.maxNewTokens());
        assertEquals(1, g.minNewTokens());
        assertEquals(1.2, g.repetitionPenalty());
        assertEquals(GenerationSettings.USER, source(g, "repetition_penalty"));

        GenerationSettings greedy = resolve(QWEN, GenerationOptions.NONE.greedy(), 5, 128);
        assertEquals(SamplingParams.GREEDY, greedy.sampling());
        assertEquals(GenerationSettings.USER, source(greedy, "do_sample"));
        assertEquals(1.05, greedy.repetitionPenalty(), "--greedy changes only the sampling");
    }

    @Test
    void maxLengthCountsThePromptAndFileLimitsAreCappedAtTheCompiledShape() throws Exception {
        GenerationSettings g = resolve("{\"max_length\": 40, \"eos_token_id\": 2}", GenerationOptions.NONE, 10, 128);
        assertEquals(30, g.maxNewTokens());
        assertEquals("generation_config.json max_length 40", source(g, "max_new_tokens"));
        assertEquals(List.of(2), g.eosIds());

        GenerationSettings capped = resolve("{\"max_length\": 4096}", GenerationOptions.NONE, 10, 64);
        assertEquals(54, capped.maxNewTokens());
        assertEquals("generation_config.json max_length 4096, capped at sequence_length 64", source(capped, "max_new_tokens"));

        // The user's own value is never capped: the shape check refuses it with a hint instead.
        assertEquals(500, resolve("{\"max_length\": 4096}", GenerationOptions.maxNewTokens(500), 10, 64).maxNewTokens());
    }

    @Test
    void contradictionsAndBadValuesAreClearErrors() throws Exception {
        NeuronKernelException topK = assertThrows(NeuronKernelException.class,
                () -> resolve("{\"do_sample\": false}", new GenerationOptions(null, null, null, null, 5, null, null, null), 3, 64));
        assertTrue(topK.getMessage().contains("--top_k and --top_p need sampling") && topK.getMessage()
                .contains("do_sample false"), topK.getMessage());
        NeuronKernelException minMax = assertThrows(NeuronKernelException.class,
                () -> resolve(QWEN, GenerationOptions.maxNewTokens(2), 3, 64));
        assertEquals("min_new_tokens 3 (generation_config.json) must be between 0 and max_new_tokens 2 (user); set "
                + "--min_new_tokens or --max_new_tokens", minMax.getMessage());
        NeuronKernelException temp = assertThrows(NeuronKernelException.class,
                () -> resolve("{\"do_sample\": true, \"temperature\": 0.0}", GenerationOptions.NONE, 3, 64));
        assertTrue(temp.getMessage().contains("temperature 0.0") && temp.getMessage().contains("--temperature"),
                temp.getMessage());
        NeuronKernelException pen = assertThrows(NeuronKernelException.class,
                () -> resolve("{\"repetition_penalty\": 0}", GenerationOptions.NONE, 3, 64));
        assertTrue(pen.getMessage().contains("repetition_penalty 0.0; it must be > 0"), pen.getMessage());
        assertThrows(ModelFormatException.class, () -> resolve("{\"do_sample\": \"yes\"}", GenerationOptions.NONE, 3, 64));
        assertThrows(ModelFormatException.class, () -> resolve("{\"top_k\": 2.5}", GenerationOptions.NONE, 3, 64));
    }

    @Test
    void theUsersValuesAreCheckedWithTheOptionNames() {
        assertEquals("--repetition_penalty must be a finite number > 0 (1 turns it off, above 1 discourages repeats), got 0.0",
                assertThrows(NeuronKernelException.class, () -> GenerationOptions.NONE.withRepetitionPenalty(0.0)).getMessage());
        assertTrue(assertThrows(NeuronKernelException.class, () -> GenerationOptions.NONE.withRepetitionPenalty(
                Double.NaN)).getMessage().startsWith("--repetition_penalty must be"));
        assertEquals("--min_new_tokens 5 is above --max_new_tokens 4; lower it or raise --max_new_tokens",
                assertThrows(NeuronKernelException.class, () -> GenerationOptions.maxNewTokens(4).withMinNewTokens(5))
                        .getMessage());
        assertEquals("--min_new_tokens must be >= 0, got -1",
                assertThrows(NeuronKernelException.class, () -> GenerationOptions.NONE.withMinNewTokens(-1)).getMessage());
        assertTrue(assertThrows(NeuronKernelException.class, () -> new GenerationOptions(null, null, false, 0.5, null,
                null, null, null)).getMessage().contains("--greedy excludes --temperature"));
        assertNull(GenerationOptions.NONE.doSample());
    }
}
