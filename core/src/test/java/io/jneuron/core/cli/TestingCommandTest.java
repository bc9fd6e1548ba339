package io.jneuron.core.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jneuron.core.model.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code jneuron testing tiny-model} through the real command tree. */
class TestingCommandTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    @Test
    void textOutputSummarisesTheCheckpoint() {
        Path target = dir.resolve("llama");
        Run r = run("testing", "tiny-model", "llama", target.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().startsWith("wrote llama tiny checkpoint to " + target + "\n"), r.out());
        assertTrue(r.out().contains("parameters  988,288 (tied embeddings), F32, 1 shard(s)"), r.out());
        assertTrue(r.out().contains("hidden 128, layers 4, heads 4, kv heads 2, head dim 32, intermediate 344,"
                + " vocab 2048, positions 512"), r.out());
        assertEquals(2, Checkpoint.open(target).config().numKvHeads());
    }

    @Test
    void jsonOutputIsOneDocument() throws Exception {
        Path target = dir.resolve("gpt2");
        Run r = run("testing", "tiny-model", "gpt2", target.toString(), "--format", "json", "--untied",
                "--dtype", "bf16", "--shards", "2", "--seed", "3", "--layers", "2");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(target.toString(), j.path("path").asText());
        assertEquals("gpt2", j.path("architecture").asText());
        // wte + lm_head + wpe + ln_f + 2 layers of 155,096
        assertEquals(2 * 262_144 + 65_536 + 256 + 2 * 155_096, j.path("parameters").asLong());
        assertEquals("bfloat16", j.path("config").path("torch_dtype").asText());
        assertFalse(j.path("config").path("tie_word_embeddings").asBoolean());
        assertEquals(2, j.path("config").path("shards").asInt());
        assertTrue(j.path("files").toString().contains("model.safetensors.index.json"));
        long bytes = 0;
        for (JsonNode f : j.path("files")) {
            bytes += Files.size(target.resolve(f.asText()));
        }
        assertEquals(bytes, j.path("bytes").asLong());
    }

    @Test
    void llamaOptionsReachTheConfig() {
        Path target = dir.resolve("l");
        Run r = run("testing", "tiny-model", "llama", target.toString(), "--kv-heads", "4", "--rope-scaling",
                "llama3", "--hidden", "64", "--heads", "4", "--intermediate", "96", "--vocab", "500",
                "--max-positions", "256", "--head-dim", "32");
        assertEquals(0, r.code(), r.err());
        var cfg = Checkpoint.open(target).config();
        assertEquals(List.of(64, 4, 4, 32, 96, 500, 256, 64), List.of(cfg.hiddenSize(), cfg.numHeads(),
                cfg.numKvHeads(), cfg.headDim(), cfg.intermediateSize(), cfg.vocabSize(),
                cfg.maxPositionEmbeddings(), cfg.ropeScaling().originalMaxPositionEmbeddings()));
    }

    @Test
    void errorsAreOneLineOnStderr() {
        assertError("error: unknown architecture 'bert'; use one of gpt2, llama, mistral, qwen2, qwen3, phi3, gemma2,"
                + " gemma3_text, granite, smollm3 (encoders: testing tiny-encoder)",
                "testing", "tiny-model", "bert", dir.resolve("b").toString());
        assertError("error: unsupported checkpoint dtype 'I64'; use F32, F16 or BF16",
                "testing", "tiny-model", "llama", dir.resolve("c").toString(), "--dtype", "I64");
        assertError("error: gpt2 has no grouped-query attention: kv heads must equal the 4 heads, got 2",
                "testing", "tiny-model", "gpt2", dir.resolve("d").toString(), "--kv-heads", "2");
        assertError("error: unknown --rope-scaling 'yarn'; use none, linear or llama3",
                "testing", "tiny-model", "llama", dir.resolve("e").toString(), "--rope-scaling", "yarn");
        assertError("error: unknown preset 'big'; use tiny or 110m",
                "testing", "tiny-model", "llama", dir.resolve("f").toString(), "--preset", "big");
        assertError("error: unknown --format 'xml'; use text or json",
                "testing", "tiny-model", "llama", dir.resolve("g").toString(), "--format", "xml");
    }

    @Test
    void anOccupiedFolderNeedsForce() {
        Path target = dir.resolve("m");
        assertEquals(0, run("testing", "tiny-model", "llama", target.toString(), "--layers", "1").code());
        assertError("error: " + target + " is not empty; choose a new folder, or use --force to replace the"
                + " checkpoint in it", "testing", "tiny-model", "llama", target.toString());
        assertEquals(0, run("testing", "tiny-model", "llama", target.toString(), "--layers", "1", "--force").code());
    }

    /**
     * The 110m preset in a JVM capped at 1 GB of heap, through the real launcher path: weights must be
     * streamed. No speed is asserted (timed tests are flaky); the timeout only catches a hang.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void oneHundredTenMillionPresetStreamsWithinOneGigabyteOfHeap() throws Exception {
        Path target = dir.resolve("110m");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "testing", "tiny-model", "llama", target.toString(), "--preset", "110m", "--format", "json"));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
        JsonNode j = new ObjectMapper().readTree(out);
        // 32000*768 embeddings + 768 norm + 12 * (4*768*768 + 3*768*2048 + 2*768)
        assertEquals(109_529_856L, j.path("parameters").asLong());
        Checkpoint c = Checkpoint.open(target);
        assertEquals(32000, c.config().vocabSize());
        assertEquals(4 * 109_529_856L, Files.size(target.resolve("model.safetensors")) - headerBytes(target));
    }

    private static long headerBytes(Path model) throws Exception {
        byte[] first = new byte[8];
        try (var in = Files.newInputStream(model.resolve("model.safetensors"))) {
            assertEquals(8, in.read(first));
        }
        return 8 + java.nio.ByteBuffer.wrap(first).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private void assertError(String expected, String... args) {
        Run r = run(args);
        assertEquals(1, r.code());
        assertEquals(expected + "\n", r.err());
        assertEquals("", r.out());
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
