package io.jneuron.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.model.Architecture;
import io.jneuron.core.model.Checkpoint;
import io.jneuron.core.model.HalfFloats;
import io.jneuron.core.model.ModelConfig;
import io.jneuron.core.model.SafetensorsFile;
import io.jneuron.core.model.TensorInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Generated checkpoints against what transformers' save_pretrained would write. */
class TinyModelsTest {
    @TempDir
    Path dir;

    @Test
    void llamaTinyHasTransformersNamesShapesAndConfig() {
        TinyModel m = TinyModels.generate(TinyModelSpec.tiny(Architecture.LLAMA), dir.resolve("llama"));
        assertEquals(List.of("config.json", "generation_config.json", "model.safetensors", "tokenizer.json",
                "tokenizer_config.json"), m.files());
        Checkpoint c = Checkpoint.open(m.directory());
        Map<String, String> expected = new TreeMap<>();
        expected.put("model.embed_tokens.weight", "[2048, 128]");
        expected.put("model.norm.weight", "[128]");
        for (int l = 0; l < 4; l++) {
            String p = "model.layers." + l + ".";
            expected.put(p + "input_layernorm.weight", "[128]");
            expected.put(p + "self_attn.q_proj.weight", "[128, 128]"); // 4 heads x 32
            expected.put(p + "self_attn.k_proj.weight", "[64, 128]"); // 2 kv heads x 32
            expected.put(p + "self_attn.v_proj.weight", "[64, 128]");
            expected.put(p + "self_attn.o_proj.weight", "[128, 128]");
            expected.put(p + "post_attention_layernorm.weight", "[128]");
            expected.put(p + "mlp.gate_proj.weight", "[344, 128]");
            expected.put(p + "mlp.up_proj.weight", "[344, 128]");
            expected.put(p + "mlp.down_proj.weight", "[128, 344]");
        }
        assertEquals(expected, shapes(c));
        // 2048*128 embeddings + 128 final norm + 4 layers * (2*128*128 + 2*64*128 + 3*344*128 + 2*128)
        assertEquals(262_144 + 128 + 4 * (32_768 + 16_384 + 132_096 + 256), m.parameterCount());
        assertEquals(988_288, m.parameterCount());

        ModelConfig cfg = c.config();
        assertEquals(new ModelConfig(Architecture.LLAMA, 2048, 128, 4, 4, 2, 32, 344, 512, 1e-5, 10000.0, null,
                true, "silu", false, false, "float32"), cfg);
    }

    @Test
    void gpt2TinyHasTransformersNamesShapesAndConfig() {
        TinyModel m = TinyModels.generate(TinyModelSpec.tiny(Architecture.GPT2), dir.resolve("gpt2"));
        Checkpoint c = Checkpoint.open(m.directory());
        Map<String, String> expected = new TreeMap<>();
        expected.put("transformer.wte.weight", "[2048, 128]");
        expected.put("transformer.wpe.weight", "[512, 128]");
        expected.put("transformer.ln_f.weight", "[128]");
        expected.put("transformer.ln_f.bias", "[128]");
        for (int l = 0; l < 4; l++) {
            String p = "transformer.h." + l + ".";
            expected.put(p + "ln_1.weight", "[128]");
            expected.put(p + "ln_1.bias", "[128]");
            expected.put(p + "attn.c_attn.weight", "[128, 384]"); // Conv1D: [in, out]
            expected.put(p + "attn.c_attn.bias", "[384]");
            expected.put(p + "attn.c_proj.weight", "[128, 128]");
            expected.put(p + "attn.c_proj.bias", "[128]");
            expected.put(p + "ln_2.weight", "[128]");
            expected.put(p + "ln_2.bias", "[128]");
            expected.put(p + "mlp.c_fc.weight", "[128, 344]");
            expected.put(p + "mlp.c_fc.bias", "[344]");
            expected.put(p + "mlp.c_proj.weight", "[344, 128]");
            expected.put(p + "mlp.c_proj.bias", "[128]");
        }
        assertEquals(expected, shapes(c));
        // wte + wpe + ln_f + 4 * (ln_1 + c_attn + c_proj + ln_2 + c_fc + c_proj)
        assertEquals(262_144 + 65_536 + 256 + 4 * (256 + 49_536 + 16_512 + 256 + 44_376 + 44_160),
                m.parameterCount());
        assertEquals(948_320, m.parameterCount());
        assertEquals(new ModelConfig(Architecture.GPT2, 2048, 128, 4, 4, 4, 32, 344, 512, 1e-5, 0, null, true,
                "gelu_new", true, true, "float32"), c.config());
    }

    @Test
    void untiedModelsWriteLmHead() {
        for (Architecture arch : Architecture.values()) {
            if (arch.isEncoder()) {
                continue; // encoders have no lm_head; TinyEncoders writes them (EncoderReferenceParityTest)
            }
            TinyModelSpec spec = TinyModelSpec.tiny(arch).withTied(false);
            TinyModel m = TinyModels.generate(spec, dir.resolve("untied-" + arch.modelType()));
            Checkpoint c = Checkpoint.open(m.directory());
            assertArrayEquals(new long[] {2048, 128}, c.tensor("lm_head.weight").shape());
            assertFalse(c.config().tieWordEmbeddings());
            assertEquals(TinyModelSpec.tiny(arch).parameterCount() + 2048 * 128, m.parameterCount());
            String embed = arch == Architecture.GPT2 ? "transformer.wte.weight" : "model.embed_tokens.weight";
            assertFalse(java.util.Arrays.equals(read(c, embed), read(c, "lm_head.weight")));
        }
        assertFalse(Checkpoint.open(TinyModels.generate(TinyModelSpec.tiny(Architecture.LLAMA),
                dir.resolve("tied")).directory()).has("lm_head.weight"));
    }

    @Test
    void halfPrecisionCheckpointsHoldTheRoundedF32Values() {
        TinyModelSpec spec = TinyModelSpec.tiny(Architecture.LLAMA).withNumLayers(1);
        Checkpoint f32 = Checkpoint.open(TinyModels.generate(spec, dir.resolve("f32")).directory());
        for (String dtype : List.of("F16", "BF16")) {
            Checkpoint half = Checkpoint.open(TinyModels.generate(spec.withDtype(dtype), dir.resolve(dtype))
                    .directory());
            assertEquals(dtype.equals("F16") ? "float16" : "bfloat16", half.config().torchDtype());
            for (String name : f32.tensorNames()) {
                TensorInfo t = half.tensor(name);
                assertEquals(dtype, t.dtype());
                float[] wide = read(f32, name);
                float[] narrow = read(half, name);
                for (int i = 0; i < wide.length; i++) {
                    float expected = dtype.equals("F16") ? HalfFloats.toFloat(HalfFloats.fromFloat(wide[i]))
                            : HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(wide[i]));
                    assertEquals(expected, narrow[i], name + "[" + i + "]");
                }
            }
        }
    }

    @Test
    void sameSeedGivesIdenticalFilesAndAnotherSeedOtherWeights() throws IOException {
        TinyModelSpec spec = TinyModelSpec.tiny(Architecture.GPT2).withNumLayers(1);
        Path a = TinyModels.generate(spec.withSeed(7), dir.resolve("a")).directory();
        Path b = TinyModels.generate(spec.withSeed(7), dir.resolve("b")).directory();
        Path c = TinyModels.generate(spec.withSeed(8), dir.resolve("c")).directory();
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json")) {
            assertEquals(-1, Files.mismatch(a.resolve(f), b.resolve(f)), f);
        }
        assertTrue(Files.mismatch(a.resolve("model.safetensors"), c.resolve("model.safetensors")) >= 0);
    }

    @Test
    void weightsHaveTheIntendedSpread() {
        Checkpoint c = Checkpoint.open(TinyModels.generate(TinyModelSpec.tiny(Architecture.GPT2),
                dir.resolve("stats")).directory());
        assertStats(read(c, "transformer.wte.weight"), 0, 0.02);
        assertStats(read(c, "transformer.h.0.attn.c_attn.weight"), 0, 0.02);
        assertStats(read(c, "transformer.wpe.weight"), 0, 0.01);
        assertStats(read(c, "transformer.h.3.mlp.c_fc.bias"), 0, 0.01);
        assertStats(concat(c, ".ln_1.weight", ".ln_2.weight"), 1, 0.05);
        // Different tensors get different streams, not shifted copies of one.
        assertFalse(java.util.Arrays.equals(read(c, "transformer.h.0.ln_1.bias"), read(c, "transformer.h.1.ln_1.bias")));
    }

    @Test
    void shardedCheckpointHasATransformersIndex() throws IOException {
        TinyModel m = TinyModels.generate(TinyModelSpec.tiny(Architecture.LLAMA).withShards(3), dir.resolve("s"));
        assertEquals(List.of("config.json", "generation_config.json", "model-00001-of-00003.safetensors",
                "model-00002-of-00003.safetensors", "model-00003-of-00003.safetensors",
                "model.safetensors.index.json", "tokenizer.json", "tokenizer_config.json"), m.files());
        JsonNode index = new ObjectMapper().readTree(m.directory().resolve("model.safetensors.index.json").toFile());
        Checkpoint c = Checkpoint.open(m.directory());
        long bytes = 0;
        for (String name : c.tensorNames()) {
            bytes += c.tensor(name).byteLength();
            assertEquals(c.tensor(name).file().getFileName().toString(), index.path("weight_map").path(name).asText());
        }
        assertEquals(4 * 988_288L, bytes);
        assertEquals(bytes, index.path("metadata").path("total_size").asLong());
        assertEquals(c.tensorNames().size(), index.path("weight_map").size());
        // Shards split the model in layer order and are of similar size.
        for (int k = 1; k <= 3; k++) {
            long size = Files.size(m.directory().resolve(String.format("model-%05d-of-00003.safetensors", k)));
            assertTrue(size > bytes / 6 && size < bytes * 2 / 3, "shard " + k + " has " + size + " bytes");
        }
        assertTrue(c.tensor("model.embed_tokens.weight").file().endsWith("model-00001-of-00003.safetensors"));
        assertTrue(c.tensor("model.norm.weight").file().endsWith("model-00003-of-00003.safetensors"));
    }

    @Test
    void shardSplitKeepsEveryShardNonEmpty() {
        List<TinyWeights.Plan> plans = new ArrayList<>();
        plans.add(new TinyWeights.Plan("big", new long[] {1000}, 0, 1));
        plans.add(new TinyWeights.Plan("s1", new long[] {1}, 0, 1));
        plans.add(new TinyWeights.Plan("s2", new long[] {1}, 0, 1));
        List<List<TinyWeights.Plan>> split = TinyModels.split(plans, 3, 4);
        assertEquals(List.of(1, 1, 1), split.stream().map(List::size).toList());
    }

    @Test
    void occupiedFoldersAreNotOverwrittenUnlessTheyHoldACheckpoint() throws IOException {
        TinyModelSpec spec = TinyModelSpec.tiny(Architecture.LLAMA).withNumLayers(1);
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("notes.txt"), "keep me");
        assertEquals(other + " is not empty; choose a new folder, or use --force to replace the checkpoint in it",
                assertThrows(NeuronKernelException.class, () -> TinyModels.generate(spec, other)).getMessage());
        assertEquals(other + " is not empty and holds no config.json, so it is not a checkpoint; refusing to"
                + " replace it", assertThrows(NeuronKernelException.class,
                () -> TinyModels.generate(spec, other, true)).getMessage());
        assertEquals("keep me", Files.readString(other.resolve("notes.txt")));

        Path model = TinyModels.generate(spec, dir.resolve("model")).directory();
        TinyModels.generate(spec.withSeed(5).withShards(2), model, true);
        assertTrue(Files.exists(model.resolve("model.safetensors.index.json")));
        assertFalse(Files.exists(model.resolve("model.safetensors"))); // nothing stale from the old checkpoint

        TinyModels.generate(spec, Files.createDirectories(dir.resolve("empty"))); // an empty folder is fine
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of("empty", "model", "other"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    private static Map<String, String> shapes(Checkpoint c) {
        Map<String, String> out = new TreeMap<>();
        for (String name : c.tensorNames()) {
            out.put(name, c.tensor(name).shapeString());
            assertEquals("F32", c.tensor(name).dtype());
        }
        return out;
    }

    private static float[] read(Checkpoint c, String name) {
        return SafetensorsFile.readFloats(c.tensor(name));
    }

    private static float[] concat(Checkpoint c, String... suffixes) {
        List<Float> all = new ArrayList<>();
        for (String name : c.tensorNames()) {
            for (String s : suffixes) {
                if (name.endsWith(s)) {
                    for (float f : read(c, name)) {
                        all.add(f);
                    }
                }
            }
        }
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }

    /** Mean within 3 standard errors (plus a hair), std within 10%. */
    private static void assertStats(float[] v, double mean, double std) {
        double sum = 0;
        double sq = 0;
        for (float f : v) {
            sum += f;
            sq += (double) f * f;
        }
        double m = sum / v.length;
        double s = Math.sqrt(sq / v.length - m * m);
        assertEquals(mean, m, 3 * std / Math.sqrt(v.length) + 1e-6, "mean");
        assertEquals(std, s, std * 0.1, "std");
    }
}
