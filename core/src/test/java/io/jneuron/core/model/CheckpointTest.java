package io.jneuron.core.model;

import io.jneuron.core.testing.TinyModelSpec;
import io.jneuron.core.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Opening checkpoint folders: single file, shards, and every way a folder can be wrong. */
class CheckpointTest {
    private static final String LLAMA_CONFIG = """
            {"model_type": "llama", "hidden_size": 4, "intermediate_size": 8, "num_attention_heads": 2,
             "num_hidden_layers": 1, "vocab_size": 3}
            """;

    @TempDir
    Path dir;

    @Test
    void readsAShardedCheckpointLikeTheSingleFileOne() {
        TinyModelSpec spec = TinyModelSpec.tiny(Architecture.LLAMA).withVocabSize(512);
        Checkpoint single = Checkpoint.open(TinyModels.generate(spec, dir.resolve("one")).directory());
        Checkpoint sharded = Checkpoint.open(TinyModels.generate(spec.withShards(3), dir.resolve("three")).directory());
        assertEquals(new java.util.TreeSet<>(single.tensorNames()), new java.util.TreeSet<>(sharded.tensorNames()));
        java.util.Set<Path> files = new java.util.HashSet<>();
        for (String name : single.tensorNames()) {
            TensorInfo a = single.tensor(name);
            TensorInfo b = sharded.tensor(name);
            files.add(b.file().getFileName());
            assertArrayEquals(a.shape(), b.shape(), name);
            assertArrayEquals(SafetensorsFile.readFloats(a), SafetensorsFile.readFloats(b), name);
        }
        assertEquals(3, files.size());
    }

    @Test
    void missingConfigIsNamed() throws IOException {
        Files.createFile(dir.resolve("model.safetensors"));
        assertEquals(dir.resolve("config.json") + ": file not found", error(dir));
    }

    @Test
    void missingWeightsAreNamed() throws IOException {
        Files.writeString(dir.resolve("config.json"), LLAMA_CONFIG);
        Files.createFile(dir.resolve("pytorch_model.bin"));
        assertEquals(dir + ": no weights: expected model.safetensors or model.safetensors.index.json (PyTorch .bin"
                + " checkpoints are not read; convert them to safetensors)", error(dir));
    }

    @Test
    void aFileIsNotACheckpointFolder() throws IOException {
        Path f = Files.createFile(dir.resolve("x"));
        assertEquals(f + ": not a checkpoint folder (no such directory)", error(f));
    }

    @Test
    void truncatedWeightsAreNamed() throws IOException {
        Files.writeString(dir.resolve("config.json"), LLAMA_CONFIG);
        Path w = dir.resolve("model.safetensors");
        SafetensorsWriter.create().add("model.norm.weight", "F32", new long[] {4}, new float[4]).write(w);
        byte[] bytes = Files.readAllBytes(w);
        Files.write(w, java.util.Arrays.copyOf(bytes, bytes.length - 4));
        assertEquals(w + ": truncated: tensor 'model.norm.weight' ends at byte " + bytes.length
                + " but the file has " + (bytes.length - 4) + " bytes", error(dir));
    }

    @Test
    void shapeThatDisagreesWithTheConfigIsNamed() throws IOException {
        Files.writeString(dir.resolve("config.json"), LLAMA_CONFIG);
        Path w = dir.resolve("model.safetensors");
        SafetensorsWriter.create().add("model.embed_tokens.weight", "F32", new long[] {3, 5}, new float[15]).write(w);
        Checkpoint c = Checkpoint.open(dir);
        ModelConfig cfg = c.config();
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> c.readFloats(
                "model.embed_tokens.weight", cfg.vocabSize(), cfg.hiddenSize()));
        assertEquals(w + ": tensor 'model.embed_tokens.weight' has shape [3, 5] but config.json implies [3, 4]",
                e.getMessage());
        ModelFormatException missing = assertThrows(ModelFormatException.class, () -> c.tensor("lm_head.weight"));
        assertEquals(dir + ": tensor 'lm_head.weight' is missing from the checkpoint", missing.getMessage());
    }

    @Test
    void indexProblemsAreNamed() throws IOException {
        Files.writeString(dir.resolve("config.json"), LLAMA_CONFIG);
        SafetensorsWriter.create().add("a", "F32", new long[] {1}, new float[] {1})
                .write(dir.resolve("model-00001-of-00001.safetensors"));
        Path index = dir.resolve("model.safetensors.index.json");

        Files.writeString(index, "{\"metadata\": {\"total_size\": 4}, \"weight_map\": {}}");
        assertEquals(index + ": missing or empty \"weight_map\"", error(dir));

        Files.writeString(index, "{\"weight_map\": {\"a\": \"../outside.safetensors\"}}");
        assertEquals(index + ": tensor 'a' names shard '../outside.safetensors', which is not a file in " + dir,
                error(dir));

        Files.writeString(index, "{\"weight_map\": {\"b\": \"model-00001-of-00001.safetensors\"}}");
        assertEquals(index + ": tensor 'b' is mapped to model-00001-of-00001.safetensors but that shard does not"
                + " contain it", error(dir));

        Files.writeString(index, "{\"weight_map\": {\"a\": \"model-00002-of-00002.safetensors\"}}");
        assertEquals(dir.resolve("model-00002-of-00002.safetensors") + ": file not found", error(dir));

        Files.writeString(index, "{\"weight_map\": {\"a\": \"model-00001-of-00001.safetensors\"}}");
        assertEquals(List.of("a"), List.copyOf(Checkpoint.open(dir).tensorNames()));
    }

    /** Run as a child process whose working directory is the checkpoint, so that "." is the folder. */
    @Test
    void opensAShardedCheckpointGivenAsDot() throws Exception {
        Path model = TinyModels.generate(TinyModelSpec.tiny(Architecture.GPT2).withVocabSize(300).withShards(2),
                dir.resolve("m")).directory();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OpenCheckpointMain.class.getName(), ".")
                .directory(model.toFile()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals("opened 52 tensors", out);
        assertEquals(0, p.exitValue());
    }

    private static String error(Path dir) {
        return assertThrows(ModelFormatException.class, () -> Checkpoint.open(dir)).getMessage();
    }
}
