package io.jneuron.core.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** config.json files written out by hand, in the shapes transformers writes them. */
class ConfigReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsAGpt2Config() throws IOException {
        ModelConfig c = read("""
                {"activation_function": "gelu_new", "architectures": ["GPT2LMHeadModel"], "bos_token_id": 50256,
                 "eos_token_id": 50256, "layer_norm_epsilon": 1e-05, "model_type": "gpt2", "n_ctx": 1024,
                 "n_embd": 768, "n_head": 12, "n_inner": null, "n_layer": 12, "n_positions": 1024,
                 "torch_dtype": "float32", "vocab_size": 50257}
                """);
        assertEquals(Architecture.GPT2, c.architecture());
        assertEquals(50257, c.vocabSize());
        assertEquals(768, c.hiddenSize());
        assertEquals(12, c.numLayers());
        assertEquals(12, c.numHeads());
        assertEquals(12, c.numKvHeads());
        assertEquals(64, c.headDim());
        assertEquals(3072, c.intermediateSize()); // n_inner null means 4 * n_embd
        assertEquals(1024, c.maxPositionEmbeddings());
        assertEquals(1e-5, c.normEps());
        assertTrue(c.tieWordEmbeddings()); // GPT-2's default
        assertEquals("gelu_new", c.activation());
        assertEquals("float32", c.torchDtype());
        assertNull(c.ropeScaling());
    }

    @Test
    void readsGpt2WithAnExplicitInnerSizeAndUntiedHead() throws IOException {
        ModelConfig c = read("""
                {"model_type": "gpt2", "n_embd": 128, "n_head": 4, "n_inner": 344, "n_layer": 2,
                 "n_positions": 64, "vocab_size": 300, "tie_word_embeddings": false}
                """);
        assertEquals(344, c.intermediateSize());
        assertFalse(c.tieWordEmbeddings());
        assertEquals(1e-5, c.normEps()); // the default when layer_norm_epsilon is absent
        assertNull(c.torchDtype());
    }

    @Test
    void readsALlamaConfigWithGroupedQueryAttention() throws IOException {
        ModelConfig c = read("""
                {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 4096,
                 "intermediate_size": 14336, "num_attention_heads": 32, "num_hidden_layers": 32,
                 "num_key_value_heads": 8, "max_position_embeddings": 8192, "rms_norm_eps": 1e-05,
                 "rope_theta": 500000.0, "rope_scaling": null, "tie_word_embeddings": false,
                 "torch_dtype": "bfloat16", "vocab_size": 128256, "hidden_act": "silu"}
                """);
        assertEquals(Architecture.LLAMA, c.architecture());
        assertEquals(32, c.numHeads());
        assertEquals(8, c.numKvHeads());
        assertEquals(128, c.headDim());
        assertEquals(14336, c.intermediateSize());
        assertEquals(500000.0, c.ropeTheta());
        assertNull(c.ropeScaling());
        assertFalse(c.tieWordEmbeddings());
        assertFalse(c.attentionBias());
        assertEquals("bfloat16", c.torchDtype());
    }

    @Test
    void llamaDefaultsWhenKeysAreAbsent() throws IOException {
        ModelConfig c = read("""
                {"model_type": "llama", "hidden_size": 64, "intermediate_size": 172, "num_attention_heads": 4,
                 "num_hidden_layers": 2, "vocab_size": 300}
                """);
        assertEquals(4, c.numKvHeads()); // no num_key_value_heads: plain multi-head attention
        assertEquals(16, c.headDim());
        assertEquals(2048, c.maxPositionEmbeddings());
        assertEquals(10000.0, c.ropeTheta());
        assertEquals(1e-6, c.normEps());
        assertFalse(c.tieWordEmbeddings()); // Llama's default
    }

    @Test
    void explicitHeadDimWins() throws IOException {
        ModelConfig c = read("""
                {"model_type": "llama", "hidden_size": 128, "head_dim": 64, "intermediate_size": 256,
                 "num_attention_heads": 4, "num_key_value_heads": 2, "num_hidden_layers": 1, "vocab_size": 300,
                 "tie_word_embeddings": true}
                """);
        assertEquals(64, c.headDim());
        assertTrue(c.tieWordEmbeddings());
    }

    @Test
    void readsLinearRopeScalingInTheOldAndNewSpelling() throws IOException {
        String base = """
                {"model_type": "llama", "hidden_size": 64, "intermediate_size": 172, "num_attention_heads": 4,
                 "num_hidden_layers": 2, "vocab_size": 300, "rope_scaling": %s}
                """;
        ModelConfig oldStyle = read(String.format(base, "{\"type\": \"linear\", \"factor\": 2.0}"));
        assertEquals(new RopeScaling("linear", 2.0, 0, 0, 0), oldStyle.ropeScaling());
        ModelConfig newStyle = read(String.format(base, "{\"rope_type\": \"linear\", \"factor\": 4.0}"));
        assertEquals(new RopeScaling("linear", 4.0, 0, 0, 0), newStyle.ropeScaling());
        assertNull(read(String.format(base, "{\"rope_type\": \"default\"}")).ropeScaling());
    }

    @Test
    void readsLlama3RopeScaling() throws IOException {
        ModelConfig c = read("""
                {"model_type": "llama", "hidden_size": 64, "intermediate_size": 172, "num_attention_heads": 4,
                 "num_hidden_layers": 2, "vocab_size": 300, "rope_theta": 500000.0,
                 "rope_scaling": {"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                                  "original_max_position_embeddings": 8192, "rope_type": "llama3"}}
                """);
        assertEquals(new RopeScaling("llama3", 8.0, 1.0, 4.0, 8192), c.ropeScaling());
    }

    /** transformers 5 writes "dtype" and nests theta and scaling in "rope_parameters" (checked against 5.17). */
    @Test
    void readsTheTransformers5Layout() throws IOException {
        ModelConfig c = read("""
                {"model_type": "llama", "hidden_size": 64, "intermediate_size": 172, "num_attention_heads": 4,
                 "num_hidden_layers": 2, "vocab_size": 300, "dtype": "bfloat16",
                 "rope_parameters": {"factor": 8.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                                     "original_max_position_embeddings": 8192, "rope_theta": 500000.0,
                                     "rope_type": "llama3"}}
                """);
        assertEquals(500000.0, c.ropeTheta());
        assertEquals(new RopeScaling("llama3", 8.0, 1.0, 4.0, 8192), c.ropeScaling());
        assertEquals("bfloat16", c.torchDtype());

        ModelConfig plain = read("""
                {"model_type": "llama", "hidden_size": 64, "intermediate_size": 172, "num_attention_heads": 4,
                 "num_hidden_layers": 2, "vocab_size": 300, "dtype": "float32",
                 "rope_parameters": {"rope_theta": 20000.0, "rope_type": "default"}}
                """);
        assertEquals(20000.0, plain.ropeTheta());
        assertNull(plain.ropeScaling());

        Path yarn = write("""
                {"model_type": "llama", "hidden_size": 64, "intermediate_size": 172, "num_attention_heads": 4,
                 "num_hidden_layers": 2, "vocab_size": 300,
                 "rope_parameters": {"rope_theta": 10000.0, "rope_type": "yarn", "factor": 4.0}}
                """);
        assertEquals(yarn + ": rope_parameters type 'yarn' is not supported; jneuron reads linear, llama3 and longrope (su)",
                error(yarn));
        assertEquals("float16", read("{\"model_type\": \"gpt2\", \"n_embd\": 64, \"n_head\": 4, \"n_layer\": 1,"
                + " \"n_positions\": 64, \"vocab_size\": 300, \"dtype\": \"float16\"}").torchDtype());
    }

    @Test
    void unknownModelTypeIsNamed() throws IOException {
        Path f = write("{\"model_type\": \"falcon\", \"hidden_size\": 64}");
        assertEquals(f + ": unknown model_type 'falcon'; jneuron runs gpt2, llama, mistral, qwen2, qwen3, phi3, gemma2,"
                + " gemma3_text, granite, smollm3, bert, distilbert, roberta, xlm-roberta", error(f));
    }

    @Test
    void missingModelTypeIsNamed() throws IOException {
        Path f = write("{\"hidden_size\": 64}");
        assertEquals(f + ": unknown model_type ''; jneuron runs gpt2, llama, mistral, qwen2, qwen3, phi3, gemma2,"
                + " gemma3_text, granite, smollm3, bert, distilbert, roberta, xlm-roberta", error(f));
    }

    @Test
    void missingAndBadSizesAreNamed() throws IOException {
        Path missing = write("{\"model_type\": \"gpt2\", \"n_embd\": 64, \"n_head\": 4, \"n_layer\": 2,"
                + " \"n_positions\": 64}");
        assertEquals(missing + ": missing \"vocab_size\"", error(missing));
        Path zero = write("{\"model_type\": \"gpt2\", \"n_embd\": 0}");
        assertEquals(zero + ": \"n_embd\" must be a positive integer, got 0", error(zero));
        Path text = write("{\"model_type\": \"llama\", \"hidden_size\": \"64\"}");
        assertEquals(text + ": \"hidden_size\" must be a positive integer, got \"64\"", error(text));
    }

    @Test
    void headsThatDoNotDivideAreNamed() throws IOException {
        Path f = write("""
                {"model_type": "llama", "hidden_size": 64, "intermediate_size": 172, "num_attention_heads": 6,
                 "num_key_value_heads": 4, "num_hidden_layers": 2, "vocab_size": 300}
                """);
        assertEquals(f + ": num_attention_heads 6 is not a multiple of num_key_value_heads 4", error(f));
    }

    @Test
    void unsupportedRopeScalingIsNamed() throws IOException {
        Path f = write("""
                {"model_type": "llama", "hidden_size": 64, "intermediate_size": 172, "num_attention_heads": 4,
                 "num_hidden_layers": 2, "vocab_size": 300, "rope_scaling": {"type": "dynamic", "factor": 2.0}}
                """);
        assertEquals(f + ": rope_scaling type 'dynamic' is not supported; jneuron reads linear, llama3 and longrope (su)", error(f));
    }

    @Test
    void missingFileIsNamed() {
        Path f = dir.resolve("config.json");
        assertEquals(f + ": file not found", error(f));
    }

    @Test
    void malformedJsonGivesTheLine() throws IOException {
        Path f = write("{\n\"model_type\": \"gpt2\",\n\"n_embd\": 64,,\n}");
        String msg = error(f);
        assertTrue(msg.startsWith(f + ": malformed JSON ("), msg);
        assertTrue(msg.endsWith(" at line 3)"), msg);
    }

    @Test
    void aJsonArrayIsNotAConfig() throws IOException {
        Path f = write("[1, 2]");
        assertEquals(f + ": expected a JSON object", error(f));
    }

    @Test
    void deeplyNestedConfigsAreAFormatErrorNamingTheFile() throws IOException {
        String llama = "{\"model_type\": \"llama\", \"hidden_size\": 64, \"intermediate_size\": 128, "
                + "\"num_attention_heads\": 4, \"num_hidden_layers\": 2, \"vocab_size\": 100, ";
        for (String deep : new String[] {"\"extra\": " + nest(5000), "\"extra\": " + nest(900), "\"rope_scaling\": " + nest(300),
                "\"architectures\": " + nest(300), "\"eos_token_id\": " + nest(300)}) {
            Path f = write(llama + deep + "}");
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> ConfigReader.read(f), deep.substring(0, 20));
            assertTrue(e.getMessage().startsWith(f + ": ") && e.getMessage().contains("nested deeper than"), e.getMessage());
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 30, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aFifoInPlaceOfConfigJsonIsRefusedNotReadForEver() throws Exception {
        Path fifo = dir.resolve("config.json");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(p.waitFor() == 0, "mkfifo is not available");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ConfigReader.read(fifo));
        assertEquals(fifo + ": not a regular file (a folder, FIFO or device); replace it with the JSON file itself",
                e.getMessage());
    }

    private static String nest(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    private ModelConfig read(String json) throws IOException {
        return ConfigReader.read(write(json));
    }

    private Path write(String json) throws IOException {
        return Files.writeString(dir.resolve("config.json"), json);
    }

    private static String error(Path f) {
        return assertThrows(ModelFormatException.class, () -> ConfigReader.read(f)).getMessage();
    }
}
