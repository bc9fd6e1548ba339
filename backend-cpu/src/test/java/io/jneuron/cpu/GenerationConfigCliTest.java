package io.jneuron.cpu;

import com.fasterxml.jackson.databind.JsonNode;
import io.jneuron.core.export.ShapeRequest;
import io.jneuron.core.generate.GenerationOptions;
import io.jneuron.core.model.Architecture;
import io.jneuron.core.report.Render;
import io.jneuron.core.service.GenerateService;
import io.jneuron.core.service.Generation;
import io.jneuron.core.service.Jneuron;
import io.jneuron.core.testing.TinyModelSpec;
import io.jneuron.core.testing.TinyModels;
import io.jneuron.cpu.GenerateCliTest.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * generation_config.json's defaults in {@code jneuron generate}, in an export of the checkpoint, and through the Java
 * service the {@code %%neuron_generate} magic and JShell call: they apply unless an option overrides them, and the
 * JSON and the table say where each setting came from.
 */
class GenerationConfigCliTest {
    @TempDir
    static Path tmp;
    static Path plain;
    static Path configured;
    static final String[] IDS = {"--prompt-ids", "5,6,7", "--sequence_length", "64", "--format", "json"};

    @BeforeAll
    static void makeModels() throws Exception {
        plain = tmp.resolve("plain");
        TinyModels.generate(TinyModelSpec.tiny(Architecture.LLAMA).withSeed(11), plain);
        configured = tmp.resolve("configured");
        Files.createDirectories(configured);
        try (Stream<Path> files = Files.list(plain)) {
            for (Path f : files.toList()) {
                Files.copy(f, configured.resolve(f.getFileName()));
            }
        }
        // Sampling defaults as instruct models ship them; min_new_tokens = max_new_tokens so that every run has 7 tokens.
        Files.writeString(configured.resolve("generation_config.json"), "{\"bos_token_id\": 1, \"eos_token_id\": [2], "
                + "\"do_sample\": true, \"temperature\": 1.5, \"top_k\": 40, \"top_p\": 0.9, \"repetition_penalty\": 1.3, "
                + "\"max_new_tokens\": 7, \"min_new_tokens\": 7}");
    }

    static Run run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--threads", "2"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        System.setProperty("neuron.kernel.cache_dir", tmp.resolve("cache").toString());
        int code = io.jneuron.core.cli.Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    static JsonNode json(String... args) throws Exception {
        Run r = run(args);
        assertEquals(0, r.code(), r.err());
        return GenerateCliTest.JSON.readTree(r.out());
    }

    static String[] with(String model, String... extra) {
        List<String> a = new ArrayList<>(List.of("generate", model));
        a.addAll(List.of(IDS));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    private static void assertSetting(JsonNode j, String name, String value, String source) {
        JsonNode s = j.get("generation").get(name);
        assertEquals(value, s.get("value").toString(), name);
        assertEquals(source, s.get("source").asText(), name);
    }

    @Test
    void theFilesDefaultsApplyAndTheJsonSaysWhereEachSettingCameFrom() throws Exception {
        JsonNode j = json(with(configured.toString()));
        assertSetting(j, "do_sample", "true", "generation_config.json");
        assertSetting(j, "temperature", "1.5", "generation_config.json");
        assertSetting(j, "top_k", "40", "generation_config.json");
        assertSetting(j, "top_p", "0.9", "generation_config.json");
        assertSetting(j, "repetition_penalty", "1.3", "generation_config.json");
        assertSetting(j, "max_new_tokens", "7", "generation_config.json");
        assertSetting(j, "min_new_tokens", "7", "generation_config.json");
        assertSetting(j, "eos_token_id", "[2]", "generation_config.json");
        assertSetting(j, "seed", "0", "default");
        assertEquals(7, j.get("generated_ids").get(0).size());

        // The same decoding asked for with options on the checkpoint without those defaults gives the same ids.
        JsonNode explicit = json(with(plain.toString(), "--temperature", "1.5", "--top_k", "40", "--top_p", "0.9",
                "--repetition_penalty", "1.3", "--max_new_tokens", "7", "--min_new_tokens", "7", "--seed", "0"));
        assertEquals(j.get("generated_ids"), explicit.get("generated_ids"));
        assertSetting(explicit, "temperature", "1.5", "user");
        assertSetting(explicit, "seed", "0", "user");
        assertSetting(explicit, "eos_token_id", "[2]", "generation_config.json");

        // A different seed samples differently: the file's do_sample is really in effect.
        assertNotEquals(j.get("generated_ids"), json(with(configured.toString(), "--seed", "3")).get("generated_ids"));
    }

    @Test
    void optionsOverrideTheFile() throws Exception {
        JsonNode greedy = json(with(configured.toString(), "--greedy", "--repetition_penalty", "1", "--max_new_tokens", "5",
                "--min_new_tokens", "0"));
        assertSetting(greedy, "do_sample", "false", "user");
        assertSetting(greedy, "repetition_penalty", "1.0", "user");
        assertSetting(greedy, "max_new_tokens", "5", "user");
        assertTrue(!greedy.get("generation").has("temperature"), "no sampling settings for greedy decoding");
        JsonNode reference = json(with(plain.toString(), "--max_new_tokens", "5"));
        assertSetting(reference, "do_sample", "false", "default");
        assertSetting(reference, "max_new_tokens", "5", "user");
        assertEquals(reference.get("generated_ids"), greedy.get("generated_ids"));

        // Text mode: the settings table names each source.
        Run text = run("generate", configured.toString(), "--prompt-ids", "5,6,7", "--sequence_length", "64");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().matches("(?s).*\ntemperature +1\\.5 +generation_config\\.json\n.*"), text.out());
        assertTrue(text.out().matches("(?s).*\nseed +0 +default\n.*"), text.out());
        assertTrue(text.out().matches("(?s).*\ndecode tok/s +[0-9.]+ +-\n.*"), text.out());
    }

    @Test
    void anExportCarriesTheGenerationConfigAndBehavesAsItsCheckpoint() throws Exception {
        Path out = tmp.resolve("configured-export");
        Run e = run("export", configured.toString(), out.toString(), "--sequence_length", "64");
        assertEquals(0, e.code(), e.err());
        assertEquals(Files.readString(configured.resolve("generation_config.json")),
                Files.readString(out.resolve("generation_config.json")));
        JsonNode fromExport = json(with(out.toString()));
        JsonNode fromCheckpoint = json(with(configured.toString()));
        assertEquals(fromCheckpoint.get("generation"), fromExport.get("generation"));
        assertEquals(fromCheckpoint.get("generated_ids"), fromExport.get("generated_ids"));
    }

    @Test
    void theJavaServiceTheMagicCallsAppliesTheSameDefaults() throws Exception {
        GenerateService.Request req = new GenerateService.Request(configured.toString(), null,
                List.of(new int[] {5, 6, 7}), GenerationOptions.NONE, 0, false, new ShapeRequest(null, 64, null, null));
        Generation g = Jneuron.generate(req);
        JsonNode j = GenerateCliTest.JSON.readTree(Render.json(g));
        assertEquals(json(with(configured.toString())).get("generated_ids"), j.get("generated_ids"));
        assertSetting(j, "top_k", "40", "generation_config.json");
        Generation greedy = Jneuron.generate(req.withOptions(GenerationOptions.maxNewTokens(5).greedy()
                .withMinNewTokens(0)));
        assertEquals("false (user)", greedy.settings().cells().get("do_sample"));
        assertEquals(5, greedy.result().rows().get(0).generatedIds().length);

        // The older form (max_new_tokens and sampling; null sampling = the file's), as notebook 02 calls it.
        ShapeRequest shape = new ShapeRequest(null, 64, null, null);
        Generation old = Jneuron.generate(new GenerateService.Request(configured.toString(), null,
                List.of(new int[] {5, 6, 7}), 7, null, 0, false, shape));
        assertEquals("true (generation_config.json)", old.settings().cells().get("do_sample"));
        assertEquals("7 (user)", old.settings().cells().get("max_new_tokens"));
        Generation oldGreedy = Jneuron.generate(new GenerateService.Request(configured.toString(), null,
                List.of(new int[] {5, 6, 7}), 7, io.jneuron.core.generate.SamplingParams.GREEDY, 0, false, shape));
        assertEquals("false (user)", oldGreedy.settings().cells().get("do_sample"));
    }

    @Test
    void badValuesAreOneClearErrorLine() {
        Run zero = run(with(plain.toString(), "--repetition_penalty", "0"));
        assertEquals(1, zero.code());
        assertEquals("error: --repetition_penalty must be a finite number > 0 (1 turns it off, above 1 discourages "
                + "repeats), got 0.0", zero.lastErrLine());
        Run minMax = run(with(plain.toString(), "--min_new_tokens", "5", "--max_new_tokens", "3"));
        assertEquals(1, minMax.code());
        assertEquals("error: --min_new_tokens 5 is above --max_new_tokens 3; lower it or raise --max_new_tokens",
                minMax.lastErrLine());
        Run fileMin = run(with(configured.toString(), "--max_new_tokens", "3"));
        assertEquals(1, fileMin.code());
        assertEquals("error: min_new_tokens 7 (generation_config.json) must be between 0 and max_new_tokens 3 (user); "
                + "set --min_new_tokens or --max_new_tokens", fileMin.lastErrLine());
        Run topK = run(with(plain.toString(), "--top_k", "5"));
        assertEquals(1, topK.code());
        assertTrue(topK.lastErrLine().contains("--top_k and --top_p need sampling: add --temperature"), topK.err());
    }
}
