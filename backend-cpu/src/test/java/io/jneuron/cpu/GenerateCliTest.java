package io.jneuron.cpu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jneuron.core.cli.Main;
import io.jneuron.core.model.Architecture;
import io.jneuron.core.testing.TinyModelSpec;
import io.jneuron.core.testing.TinyModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code jneuron generate} through the real picocli command tree, on the CPU backend (docs/cli.md). */
class GenerateCliTest {
    @TempDir
    static Path tmp;
    static Path model;
    static final ObjectMapper JSON = new ObjectMapper();

    /** stderr may carry progress lines in text mode; an error is its last line. */
    record Run(int code, String out, String err) {
        String lastErrLine() {
            String[] lines = err.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    @BeforeAll
    static void makeModel() {
        model = tmp.resolve("tiny-llama");
        TinyModels.generate(TinyModelSpec.tiny(Architecture.LLAMA).withSeed(11), model);
    }

    static Run run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--threads");
        all.add("2");
        return runExactly(all.toArray(String[]::new));
    }

    static Run runExactly(String... all) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        System.setProperty("neuron.kernel.cache_dir", tmp.resolve("cache").toString());
        int code = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(all);
        return new Run(code, out.toString(), err.toString());
    }

    /** {@code --quantization int8}: recorded in the export's config and the registry entry, and generates. */
    @Test
    void int8QuantizationIsRecordedAndGenerates() throws Exception {
        Path out = tmp.resolve("int8-export");
        Run e = run("export", model.toString(), out.toString(), "--quantization", "int8", "--sequence_length", "64",
                "--format", "json");
        assertEquals(0, e.code(), e.err());
        JsonNode export = JSON.readTree(e.out());
        assertTrue(export.get("shape").asText().endsWith("dtype=int8"), export.toString());
        assertEquals("int8", JSON.readTree(out.resolve("neuron_config.json").toFile()).get("auto_cast_type").asText());
        JsonNode neuron = JSON.readTree(Path.of(export.get("entry_file").asText()).toFile()).get("neuron");
        assertTrue(neuron.get("quantized").asBoolean(), neuron.toString());
        assertEquals("int8", neuron.get("quantization_dtype").asText());
        assertEquals("per_channel_symmetric", neuron.get("quantization_type").asText());
        assertEquals("fp32", neuron.get("auto_cast_type").asText());

        // Accuracy against the fp64 reference is ReferenceParityTest's; here the CLI path end to end.
        Run q = run("generate", out.toString(), "--prompt-ids", "5,6,7", "--max_new_tokens", "4", "--format", "json");
        assertEquals(0, q.code(), q.err());
        assertEquals(4, JSON.readTree(q.out()).get("generated_ids").get(0).size());

        Run bad = run("export", model.toString(), tmp.resolve("bad").toString(), "--quantization", "int4");
        assertNotEquals(0, bad.code());
        assertTrue(bad.lastErrLine().contains("int4"), bad.err());
        Run mixed = run("export", model.toString(), tmp.resolve("bad").toString(), "--quantization", "int8",
                "--auto_cast_type", "bf16");
        assertNotEquals(0, mixed.code());
        assertTrue(mixed.lastErrLine().contains("--auto_cast_type"), mixed.err());
    }

    @Test
    void chatPromptsAreRenderedWithTheModelsTemplateAndEncodedWithoutAddedSpecials() throws Exception {
        Run r = run("generate", model.toString(), "--chat", "--prompt", "system: Be brief.\nuser:  Hello\nthere ",
                "--max_new_tokens", "2", "--sequence_length", "64", "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = JSON.readTree(r.out());
        String rendered = "<s><|system|>\nBe brief.</s>\n<|user|>\nHello\nthere</s>\n<|assistant|>\n";
        assertEquals(rendered, j.get("chat_prompts").get(0).asText());
        try (io.jneuron.core.model.HfTokenizer tok = io.jneuron.core.model.HfTokenizer.open(model)) {
            int[] ids = tok.encode(rendered, false);
            assertEquals(1, ids[0], "the template's <s>, once");
            assertEquals(JSON.valueToTree(ids).toString(), j.get("prompt_ids").get(0).toString());
        }
        Run shown = run("generate", model.toString(), "--chat", "--show-prompt", "--prompt", "Hi", "--max_new_tokens", "2",
                "--sequence_length", "64");
        assertEquals(0, shown.code(), shown.err());
        assertTrue(shown.out().startsWith("-- prompt rendered by the chat template:\n<s><|user|>\nHi</s>\n<|assistant|>\n\n"
                + "-- generated:\n"), shown.out());
        assertEquals("--chat renders text prompts with the chat template; use --prompt, not --prompt-ids",
                run("generate", model.toString(), "--chat", "--prompt-ids", "1,2").lastErrLine().replaceFirst("^error: ", ""));
    }

    @Test
    void jsonHasTheDocumentedSchemaAndPromptIdsAreUsedVerbatim() throws Exception {
        Run r = run("generate", model.toString(), "--prompt-ids", "5,6,7", "--max_new_tokens", "6", "--top-logits", "3",
                "--sequence_length", "64", "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = JSON.readTree(r.out());
        assertEquals("cpu", j.get("backend").asText());
        assertEquals(1, j.get("batch_size").asInt());
        assertEquals(64, j.get("sequence_length").asInt());
        assertEquals(64, j.get("bucket").asInt());
        assertEquals("[[5,6,7]]", j.get("prompt_ids").toString());
        assertEquals(6, j.get("generated_ids").get(0).size());
        JsonNode tops = j.get("prefill_top_logits").get(0);
        assertEquals(3, tops.size());
        assertEquals(tops.get(0).get("id").asInt(), j.get("generated_ids").get(0).get(0).asInt(),
                "greedy: the first generated id is the top prefill logit");
        assertTrue(tops.get(0).get("logit").asDouble() >= tops.get(1).get("logit").asDouble());
        for (String k : List.of("load_ms", "prefill_ms", "decode_ms", "prefill_tok_s", "decode_tok_s")) {
            assertTrue(j.get("timings").get(k).asDouble() >= 0, k);
        }
        assertEquals(1, j.get("text").size());
    }

    @Test
    void seededSamplingIsReproducibleAndSeedsDiffer() throws Exception {
        String[] base = {"generate", model.toString(), "--prompt", "Once upon a time", "--max_new_tokens", "12",
                "--temperature", "1.5", "--sequence_length", "64", "--format", "json", "--seed"};
        JsonNode a = JSON.readTree(run(concat(base, "1")).out()).get("generated_ids");
        JsonNode b = JSON.readTree(run(concat(base, "1")).out()).get("generated_ids");
        JsonNode c = JSON.readTree(run(concat(base, "2")).out()).get("generated_ids");
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void aBatchOfPromptsIsPaddedAndEachRowMatchesItsSoloRun() throws Exception {
        Run batch = run("generate", model.toString(), "--prompt-ids", "1,2,3,4,5,6,7,8,9", "--prompt-ids", "42",
                "--batch_size", "2", "--sequence_length", "64", "--max_new_tokens", "5", "--format", "json");
        assertEquals(0, batch.code(), batch.err());
        Run solo = run("generate", model.toString(), "--prompt-ids", "42", "--sequence_length", "64",
                "--max_new_tokens", "5", "--format", "json");
        assertEquals(JSON.readTree(solo.out()).get("generated_ids").get(0),
                JSON.readTree(batch.out()).get("generated_ids").get(1));
    }

    @Test
    void aPromptTooLongForTheCompiledShapeIsOneClearErrorLine() {
        Run r = run("generate", model.toString(), "--prompt-ids", "1,2,3,4,5,6,7,8,9,10", "--sequence_length", "16",
                "--max_new_tokens", "8");
        assertEquals(1, r.code());
        assertEquals("error: prompt of 10 tokens + max_new_tokens 8 = 18 exceeds the compiled sequence_length 16; "
                + "shorten the prompt, lower --max_new_tokens, or export with --sequence_length 32", r.lastErrLine());
        assertEquals("", r.out());
    }

    @Test
    void badIdsAndMissingModelsAreClearErrors() {
        Run r = run("generate", model.toString(), "--prompt-ids", "1,x");
        assertEquals(1, r.code());
        assertEquals("error: --prompt-ids '1,x': 'x' is not an integer; give comma-separated token ids like 1,2,3",
                r.err().strip(), "rejected before any work, so nothing else on stderr");
        Run missing = run("generate", tmp.resolve("nope").toString(), "--prompt", "hi");
        assertEquals(1, missing.code());
        assertEquals("error: model '" + tmp.resolve("nope") + "' is not a folder (no such directory); check the path",
                missing.lastErrLine());
        Run empty = run("generate", Files.exists(tmp) ? tmp.toString() : "", "--prompt", "hi");
        assertEquals(1, empty.code());
        assertEquals("error: " + tmp + "/config.json: file not found", empty.lastErrLine());
    }

    @Test
    void aCheckpointTwiceIsCompiledOnceThroughTheCompileCacheAndTheSecondRunIsAHit() throws Exception {
        Path cache = tmp.resolve("cache-twice");
        String[] args = {"generate", model.toString(), "--prompt-ids", "3,4,5", "--max_new_tokens", "4",
                "--sequence_length", "32", "--cache_dir", cache.toString(), "--format", "json"};
        Run first = run(args);
        assertEquals(0, first.code(), first.err());
        JsonNode a = JSON.readTree(first.out());
        assertEquals("miss", a.get("export").get("cache").asText());
        JsonNode status1 = JSON.readTree(runExactly("cache", "status", "--cache_dir", cache.toString(), "--format", "json").out());
        Run second = run(args);
        JsonNode b = JSON.readTree(second.out());
        assertEquals("hit-local", b.get("export").get("cache").asText());
        assertEquals(a.get("export").get("entry"), b.get("export").get("entry"));
        assertEquals(a.get("generated_ids"), b.get("generated_ids"));
        assertTrue(b.get("timings").has("export_ms"));
        // cache status shows the one module and its registry entry, the same after the hit: nothing was compiled again.
        JsonNode status2 = JSON.readTree(runExactly("cache", "status", "--cache_dir", cache.toString(), "--format", "json").out());
        JsonNode cpu = status2.get("compilers").get(0);
        assertEquals("jneuron-cpu", cpu.get("compiler").asText());
        assertEquals(1, cpu.get("states").get("success").get("count").asInt(), status2.toString());
        assertTrue(cpu.get("registry_entries").asInt() >= 1, "the entry (and its alias) are filed");
        assertEquals(status1, status2);
        assertTrue(a.get("export").get("module").asText().startsWith(cache.toString()));
    }

    /** Absurd shapes: one line from the shared memory plan (or the model's limit), the same for generate and export. */
    @Test
    void absurdShapesAreOneLineAndTheSameForGenerateAndExport() {
        String cache = tmp.resolve("cache-absurd").toString();
        for (String[] shape : List.of(new String[] {"--batch_size", "100000000"},
                new String[] {"--sequence_length", "1000000000"},
                new String[] {"--batch_size", "2147483647", "--sequence_length", "512"})) {
            List<String> gen = new ArrayList<>(List.of("generate", model.toString(), "--prompt-ids", "1,2", "--cache_dir", cache));
            gen.addAll(List.of(shape));
            Run g = run(gen.toArray(String[]::new));
            List<String> exp = new ArrayList<>(List.of("export", model.toString(), tmp.resolve("absurd-out").toString(),
                    "--cache_dir", cache));
            exp.addAll(List.of(shape));
            Run e = run(exp.toArray(String[]::new));
            String why = String.join(" ", shape);
            assertEquals(1, g.code(), why + ": " + g.err());
            assertEquals(1, e.code(), why + ": " + e.err());
            assertTrue(g.lastErrLine().startsWith("error: the plan needs ")
                    || g.lastErrLine().startsWith("error: sequence_length 1000000000 exceeds the model's limit"), g.err());
            assertEquals(g.lastErrLine(), e.lastErrLine(), why);
            assertTrue(g.err().lines().allMatch(l -> l.startsWith("[jneuron] ") || l.startsWith("error: ")), g.err());
        }
        assertTrue(Files.notExists(tmp.resolve("absurd-out")));
    }

    static String[] concat(String[] a, String b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }
}
