package io.jneuron.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.model.Architecture;
import io.jneuron.core.model.Checkpoint;
import io.jneuron.core.model.ConfigReader;
import io.jneuron.core.model.ModelConfig;
import io.jneuron.core.model.RopeScaling;
import io.jneuron.core.testing.TinyModelSpec.RopeScalingType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Spec variants as config.json records them, and specs transformers could not load. */
class TinyModelSpecTest {
    @TempDir
    Path dir;

    @Test
    void configVariantsReadBackThroughTheConfigReader() {
        TinyModelSpec base = TinyModelSpec.tiny(Architecture.LLAMA).withNumLayers(1);
        Map<String, TinyModelSpec> variants = new LinkedHashMap<>();
        variants.put("mha", base.withNumKvHeads(4));
        variants.put("gqa1", base.withNumKvHeads(1));
        variants.put("headdim", base.withHeadDim(64));
        variants.put("linear", base.withRopeScaling(RopeScalingType.LINEAR));
        variants.put("llama3", base.withRopeScaling(RopeScalingType.LLAMA3));
        variants.put("bf16untied", base.withDtype("bf16").withTied(false));
        for (Map.Entry<String, TinyModelSpec> v : variants.entrySet()) {
            Path d = TinyModels.generate(v.getValue(), dir.resolve(v.getKey())).directory();
            assertEquals(v.getValue().toModelConfig(), ConfigReader.read(d.resolve("config.json")), v.getKey());
            Checkpoint.open(d); // and the weights agree with it
        }
        ModelConfig hd = ConfigReader.read(dir.resolve("headdim/config.json"));
        assertEquals(64, hd.headDim());
        assertArrayEquals(new long[] {256, 128}, Checkpoint.open(dir.resolve("headdim"))
                .tensor("model.layers.0.self_attn.q_proj.weight").shape());
        assertEquals(new RopeScaling("linear", 2.0, 0, 0, 0), ConfigReader.read(dir.resolve("linear/config.json"))
                .ropeScaling());
        assertEquals(new RopeScaling("llama3", 8.0, 1.0, 4.0, 128),
                ConfigReader.read(dir.resolve("llama3/config.json")).ropeScaling());
        assertNull(ConfigReader.read(dir.resolve("mha/config.json")).ropeScaling());
    }

    @Test
    void configJsonOmitsHeadDimUnlessItDiffers() throws IOException {
        Path plain = TinyModels.generate(TinyModelSpec.tiny(Architecture.LLAMA).withNumLayers(1), dir.resolve("p"))
                .directory();
        assertFalse(Files.readString(plain.resolve("config.json")).contains("head_dim"));
        JsonNode gpt2 = new ObjectMapper().readTree(TinyModels.generate(TinyModelSpec.tiny(Architecture.GPT2)
                .withNumLayers(1), dir.resolve("g")).directory().resolve("config.json").toFile());
        assertEquals("GPT2LMHeadModel", gpt2.path("architectures").path(0).asText());
        assertEquals(344, gpt2.path("n_inner").asInt());
        assertEquals(2047, gpt2.path("eos_token_id").asInt());
    }

    @Test
    void invalidSpecsAreRefusedWithTheValue() {
        TinyModelSpec gpt2 = TinyModelSpec.tiny(Architecture.GPT2);
        TinyModelSpec llama = TinyModelSpec.tiny(Architecture.LLAMA);
        assertEquals("gpt2 has no grouped-query attention: kv heads must equal the 4 heads, got 2",
                invalid(gpt2.withNumKvHeads(2)));
        assertEquals("gpt2 has no rotary embeddings: rope scaling must be none, got llama3",
                invalid(gpt2.withRopeScaling(RopeScalingType.LLAMA3)));
        assertEquals("4 heads is not a multiple of 3 kv heads", invalid(llama.withNumKvHeads(3)));
        assertEquals("hidden size 130 is not a multiple of 4 heads", invalid(llama.withHiddenSize(130)));
        assertEquals("head dim 33 must be even for rotary embeddings", invalid(llama.withHeadDim(33)));
        assertEquals("unsupported checkpoint dtype 'I64'; use F32, F16 or BF16", invalid(llama.withDtype("I64")));
        assertEquals("vocab size 258 is out of range: a byte-level BPE for llama needs 259 to 262144 tokens",
                invalid(llama.withVocabSize(258)));
        assertEquals("layers must be positive, got 0", invalid(llama.withNumLayers(0)));
        assertEquals("100 shards is more than the 38 tensors of the model", invalid(llama.withShards(100)));
        assertEquals("unknown preset 'huge'; use tiny or 110m", assertThrows(NeuronKernelException.class,
                () -> TinyModelSpec.preset(Architecture.LLAMA, "huge")).getMessage());
    }

    private static String invalid(TinyModelSpec spec) {
        return assertThrows(NeuronKernelException.class, spec::validate).getMessage();
    }
}
