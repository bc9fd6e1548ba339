package io.jneuron.cpu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jneuron.core.cli.Main;
import io.jneuron.core.model.Architecture;
import io.jneuron.core.model.EncoderHead;
import io.jneuron.core.testing.TinyEncoders;
import io.jneuron.core.testing.TinyModelSpec;
import io.jneuron.core.testing.TinyModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * optimum-cli habits of {@code export} ({@code --model}, {@code -O1/-O2/-O3}, {@code --auto_cast}) recorded in the
 * registry entry as optimum records them (spec optimum-neuron-cache §2.2, §5.1), and {@code cache lookup} showing
 * optimum's fields in text, HTML and JSON.
 */
class OptimumOptionsCliTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path encoder;
    static final ObjectMapper JSON = new ObjectMapper();

    record Run(int code, String out, String err) {
        String lastErrLine() {
            String[] lines = err.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    @BeforeAll
    static void makeModels() {
        model = tmp.resolve("tiny-llama");
        TinyModels.generate(TinyModelSpec.tiny(Architecture.LLAMA).withSeed(5), model);
        encoder = TinyEncoders.generate(Architecture.BERT, EncoderHead.NONE, 5, tmp.resolve("tiny-bert"));
    }

    static Run run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--cache_dir", tmp.resolve("cache").toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    static JsonNode export(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("export"));
        all.addAll(List.of(args));
        all.addAll(List.of("--sequence_length", "64", "--format", "json"));
        Run r = run(all.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return JSON.readTree(r.out());
    }

    /** The registry file: its bytes hash to its name (SHA-512, first 20 hex, computed here), and its neuron section. */
    static JsonNode entryNeuron(JsonNode export) throws Exception {
        Path file = Path.of(export.get("entry_file").asText());
        byte[] bytes = Files.readAllBytes(file);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(bytes)).substring(0, 20);
        assertEquals(file.getFileName().toString(), sha + ".json");
        assertEquals(export.get("entry").asText(), sha);
        return JSON.readTree(bytes).get("neuron");
    }

    static String entryText(JsonNode export) throws Exception {
        return Files.readString(Path.of(export.get("entry_file").asText()), StandardCharsets.UTF_8);
    }

    @Test
    void modelOptionOptlevelAndAutoCastAreRecordedAsOptimumRecordsThem() throws Exception {
        // optimum-cli's order: --model MODEL ... OUTPUT, -O3, --auto_cast matmul (auto_cast_type defaults to bf16)
        JsonNode a = export("--model", model.toString(), "-O3", "--auto_cast", "matmul", tmp.resolve("a").toString());
        assertEquals("miss", a.get("cache").asText());
        JsonNode n = entryNeuron(a);
        assertEquals("3", n.get("optlevel").asText());
        assertEquals("matmul", n.get("auto_cast").asText());
        assertEquals("bf16", n.get("auto_cast_type").asText());
        assertEquals("bfloat16", n.get("torch_dtype").asText());
        // Python json.dumps(indent=2, sort_keys=True): the neuron keys sorted, 4-space indent inside "neuron".
        assertTrue(entryText(a).contains("\n    \"auto_cast\": \"matmul\",\n    \"auto_cast_type\": \"bf16\",\n"),
                entryText(a));
        assertTrue(entryText(a).contains("\n    \"optlevel\": \"3\",\n"), entryText(a));

        // The positional form with --optlevel 3 and --auto_cast_type bf16 alone (matmul implied) is the same entry.
        JsonNode b = export(model.toString(), tmp.resolve("b").toString(), "--optlevel", "3", "--auto_cast_type", "bf16");
        assertEquals(a.get("entry").asText(), b.get("entry").asText());
        assertEquals("hit-local", b.get("cache").asText());

        // Each other choice is its own entry: none (optimum records null), -O1.
        JsonNode none = export("-m", model.toString(), tmp.resolve("none").toString(), "--auto_cast", "none", "-O3");
        JsonNode nn = entryNeuron(none);
        assertTrue(nn.has("auto_cast") && nn.get("auto_cast").isNull(), nn.toString());
        assertEquals("fp32", nn.get("auto_cast_type").asText());
        assertTrue(entryText(none).contains("\n    \"auto_cast\": null,\n"), entryText(none));
        JsonNode o1 = export(model.toString(), tmp.resolve("o1").toString(), "-O1", "--auto_cast", "matmul");
        assertEquals("1", entryNeuron(o1).get("optlevel").asText());
        List<String> entries = List.of(a.get("entry").asText(), none.get("entry").asText(), o1.get("entry").asText());
        assertEquals(3, entries.stream().distinct().count(), entries.toString());
        assertEquals("miss", none.get("cache").asText());
        assertEquals("miss", o1.get("cache").asText());
    }

    @Test
    void encoderEntriesKeepOptimumsTracedKeys() throws Exception {
        JsonNode plain = export("--model", encoder.toString(), tmp.resolve("enc").toString(), "--task",
                "feature-extraction", "--batch_size", "2");
        JsonNode n = entryNeuron(plain);
        assertTrue(n.get("auto_cast").isNull() && n.get("auto_cast_type").isNull(), n.toString());
        assertEquals("2", n.get("optlevel").asText());
        JsonNode cast = export(encoder.toString(), tmp.resolve("enc-bf16").toString(), "--task", "feature-extraction",
                "--batch_size", "2", "--auto_cast", "matmul", "-O1");
        JsonNode c = entryNeuron(cast);
        assertEquals("matmul", c.get("auto_cast").asText());
        assertEquals("bf16", c.get("auto_cast_type").asText());
        assertEquals("1", c.get("optlevel").asText());
        assertEquals("jneuron-cpu", c.get("compiler_type").asText());

        // lookup of the encoder: traced keys (static_batch_size, float_dtype) give the same columns
        JsonNode rows = JSON.readTree(run("cache", "lookup", encoder.toString(), "--task", "feature-extraction",
                "--format", "json").out());
        assertEquals(2, rows.size(), rows.toString());
        for (JsonNode r : rows) {
            assertEquals("feature-extraction", r.get("task").asText());
            assertEquals(2, r.get("batch_size").asInt());
            boolean bf16 = r.get("entry").asText().equals(cast.get("entry").asText());
            assertEquals(bf16 ? "bf16" : "fp32", r.get("auto_cast_type").asText(), r.toString());
            assertEquals(bf16 ? "matmul" : "none", r.get("auto_cast").asText(), r.toString());
        }
    }

    @Test
    void lookupShowsOptimumsFieldsInTextHtmlAndJson() throws Exception {
        JsonNode a = export(model.toString(), tmp.resolve("lk").toString(), "--auto_cast_type", "bf16", "-O2");
        Run json = run("cache", "lookup", model.toString(), "--format", "json");
        assertEquals(0, json.code(), json.err());
        JsonNode row = null;
        for (JsonNode r : JSON.readTree(json.out())) {
            if (r.get("entry").asText().equals(a.get("entry").asText())) {
                row = r;
            }
        }
        assertTrue(row != null, json.out());
        assertEquals("text-generation", row.get("task").asText());
        assertEquals("jneuron-cpu", row.get("compiler_type").asText());
        assertTrue(a.get("module").asText().contains("/jneuron-cpu-" + row.get("compiler_version").asText() + "/"),
                row + " vs " + a.get("module"));
        assertTrue(row.has("checkpoint_revision"), row.toString());
        assertEquals("bf16", row.get("auto_cast_type").asText());
        assertEquals("bfloat16", row.get("torch_dtype").asText());
        assertEquals("matmul", row.get("auto_cast").asText());
        assertEquals("2", row.get("optlevel").asText());

        Run text = run("cache", "lookup", model.toString());
        assertEquals(0, text.code(), text.err());
        String header = text.out().lines().filter(l -> l.contains("batch size")).findFirst().orElseThrow();
        List<String> columns = List.of("batch size", "sequence length", "tensor parallel", "dtype", "instance type",
                "task", "compiler type", "compiler version", "checkpoint revision", "auto_cast", "auto_cast_type",
                "optlevel", "source", "entry");
        int at = -1;
        for (String c : columns) {
            int i = header.indexOf(c, at + 1);
            assertTrue(i > at, "column '" + c + "' in order in: " + header);
            at = i;
        }
        String line = text.out().lines().filter(l -> l.contains(a.get("entry").asText())).findFirst().orElseThrow();
        assertTrue(line.contains(" text-generation ") && line.contains(" jneuron-cpu ") && line.contains(" bf16 ")
                && line.contains(" matmul "), line);

        Run html = run("cache", "lookup", model.toString(), "--format", "html");
        assertEquals(0, html.code(), html.err());
        for (String c : columns) {
            assertTrue(html.out().contains(">" + c + "</th>"), c + " in " + html.out());
        }
        assertTrue(html.out().contains(">jneuron-cpu</td>"), html.out());
    }

    @Test
    void contradictionsAreOneClearLine() {
        Run twice = run("export", "--model", model.toString(), model.toString(), tmp.resolve("x").toString());
        assertNotEquals(0, twice.code());
        assertTrue(twice.lastErrLine().contains("MODEL given twice"), twice.err());
        Run missing = run("export", model.toString());
        assertNotEquals(0, missing.code());
        assertTrue(missing.lastErrLine().contains("MODEL and OUTPUT"), missing.err());
        Run noneBf16 = run("export", model.toString(), tmp.resolve("x").toString(), "--auto_cast", "none",
                "--auto_cast_type", "bf16");
        assertTrue(noneBf16.lastErrLine().contains("--auto_cast none"), noneBf16.err());
        Run matmulFp32 = run("export", model.toString(), tmp.resolve("x").toString(), "--auto_cast", "matmul",
                "--auto_cast_type", "fp32");
        assertTrue(matmulFp32.lastErrLine().contains("--auto_cast_type fp32"), matmulFp32.err());
        Run bogus = run("export", model.toString(), tmp.resolve("x").toString(), "--auto_cast", "some");
        assertTrue(bogus.lastErrLine().contains("'some' is not one of none, matmul, all"), bogus.err());
        Run all = run("export", model.toString(), tmp.resolve("x").toString(), "--auto_cast", "all");
        assertNotEquals(0, all.code());
        assertTrue(all.lastErrLine().contains("--auto_cast all") && all.lastErrLine().contains("cpu"), all.err());
        Run o4 = run("export", model.toString(), tmp.resolve("x").toString(), "-O4");
        assertNotEquals(0, o4.code());
        assertTrue(o4.lastErrLine().contains("-O4"), o4.err());
    }
}
