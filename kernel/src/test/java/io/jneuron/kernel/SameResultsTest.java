package io.jneuron.kernel;

import io.jneuron.core.cache.PyJson;
import io.jneuron.core.cli.Main;
import io.jneuron.core.export.ExportResult;
import io.jneuron.core.model.Architecture;
import io.jneuron.core.model.EncoderHead;
import io.jneuron.core.pipeline.PipelineResult;
import io.jneuron.core.report.Render;
import io.jneuron.core.service.CacheResults;
import io.jneuron.core.testing.TinyModelSpec;
import io.jneuron.core.testing.TinyEncoders;
import io.jneuron.core.testing.TinyModels;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The three front ends give the same results for export, lookup and pipeline: the CLI ({@code bin/jneuron}'s command tree),
 * the magics (through the kernel, which returns the magic's result object), and a plain JShell (jdk.jshell, the
 * jars on its class path) calling {@code Jneuron}. All three export one model into one compile cache, so the first is
 * the miss and the others hit it.
 */
class SameResultsTest {
    @TempDir
    static Path dir;
    static NeuronKernel kernel;
    static String model;
    static String cache;

    @BeforeAll
    static void start() {
        model = dir.resolve("tiny").toString();
        TinyModels.generate(TinyModelSpec.tiny(Architecture.LLAMA).withSeed(5), Path.of(model));
        cache = dir.resolve("cache").toString();
        kernel = NeuronKernel.create();
        kernel.onStartup();
    }

    @AfterAll
    static void stop() {
        kernel.onShutdown(false);
    }

    @Test
    void cliMagicsAndJShellExportAndLookUpAlike() throws Exception {
        Map<?, ?> cli = (Map<?, ?>) PyJson.parse(cli("export", model, dir.resolve("cli").toString(), "--sequence_length",
                "64", "--cache_dir", cache, "--format", "json"), "cli");
        ExportResult magic = assertInstanceOf(ExportResult.class, kernel.evalRaw("%neuron_export " + model + " "
                + dir.resolve("magic") + " --sequence_length 64 --cache_dir " + cache));
        Map<?, ?> shell = (Map<?, ?>) PyJson.parse(jshell("Jneuron.export(ExportRequest.of(\"" + model + "\", \""
                + dir.resolve("shell") + "\").withShape(1, 64).withCacheDir(\"" + cache + "\"))"), "jshell");

        Map<?, ?> fromMagic = (Map<?, ?>) PyJson.parse(Render.json(magic), "magic");
        assertEquals(List.of("miss", "hit-local", "hit-local"), List.of(cli.get("cache"), fromMagic.get("cache"),
                shell.get("cache")));
        for (String key : List.of("backend", "entry", "entry_file", "module", "shape", "artifacts", "memory")) {
            assertEquals(cli.get(key), fromMagic.get(key), key);
            assertEquals(cli.get(key), shell.get(key), key);
        }
        assertEquals(dir.resolve("shell").toString(), shell.get("output"));

        String cliLookup = cli("cache", "lookup", model, "--cache_dir", cache, "--format", "json");
        CacheResults.Lookup magicLookup = assertInstanceOf(CacheResults.Lookup.class,
                kernel.evalRaw("%neuron_cache lookup " + model + " --cache_dir " + cache));
        String shellLookup = jshell("Jneuron.lookup(CacheService.LookupRequest.of(\"" + model + "\").withCacheDir(\""
                + cache + "\"))");
        assertEquals(1, ((List<?>) PyJson.parse(cliLookup, "cli")).size(), cliLookup);
        assertEquals(cliLookup.strip(), Render.json(magicLookup));
        assertEquals(cliLookup.strip(), shellLookup);

        // As a cell's value the lookup renders as the CLI prints it, and as an HTML table.
        DisplayData cell = kernel.eval("Jneuron.lookup(CacheService.LookupRequest.of(\"" + model + "\").withCacheDir(\""
                + cache + "\"))");
        // The CLI's text has no width limit; a notebook's text/plain keeps within 120 columns, so this one wide row
        // becomes name/value lines: the same headline, and every column of the CLI's row with the CLI's value.
        String[] cliText = cli("cache", "lookup", model, "--cache_dir", cache).strip().split("\n");
        String cellText = (String) cell.getData(MIMEType.TEXT_PLAIN);
        assertEquals(cliText[0], cellText.split("\n")[0]);
        String[] headers = cliText[1].strip().split("\\s{2,}");
        String[] values = cliText[2].strip().split("\\s{2,}");
        assertEquals(14, headers.length, cliText[1]);
        assertEquals(headers.length, values.length, cliText[2]);
        for (int i = 0; i < headers.length; i++) {
            assertTrue(java.util.regex.Pattern.compile("(?m)^" + java.util.regex.Pattern.quote(headers[i]) + " +"
                    + java.util.regex.Pattern.quote(values[i]) + "$").matcher(cellText).find(),
                    headers[i] + " = " + values[i] + " in\n" + cellText);
        }
        assertTrue(cellText.lines().allMatch(l -> l.length() <= 120), cellText);
        // numbers are right-aligned cells in the HTML table
        assertTrue(((String) cell.getData(MIMEType.TEXT_HTML)).matches("(?s).*<td style=\"[^\"]*text-align:right[^\"]*\">64</td>.*"),
                String.valueOf(cell.getData(MIMEType.TEXT_HTML)));
    }

    /** optimum-cli's --model, -O<n> and --auto_cast through the magic, the CLI and the Java API: one entry. */
    @Test
    void optimumCliOptionsAreTheSameEverywhere() throws Exception {
        Map<?, ?> cli = (Map<?, ?>) PyJson.parse(cli("export", "--model", model, "-O3", "--auto_cast", "matmul",
                dir.resolve("o3-cli").toString(), "--sequence_length", "64", "--cache_dir", cache, "--format", "json"), "cli");
        ExportResult magic = assertInstanceOf(ExportResult.class, kernel.evalRaw("%neuron_export --model " + model
                + " -O3 --auto_cast matmul " + dir.resolve("o3-magic") + " --sequence_length 64 --cache_dir " + cache));
        Map<?, ?> shell = (Map<?, ?>) PyJson.parse(jshell("Jneuron.export(ExportRequest.of(\"" + model + "\", \""
                + dir.resolve("o3-shell") + "\").withShape(1, 64).withCacheDir(\"" + cache
                + "\").withOptlevel(3).withAutoCast(\"matmul\"))"), "jshell");
        assertEquals(cli.get("entry"), magic.entry());
        assertEquals(cli.get("entry"), shell.get("entry"));
        Map<?, ?> neuron = (Map<?, ?>) ((Map<?, ?>) PyJson.parse(java.nio.file.Files.readString(
                Path.of((String) cli.get("entry_file"))), "entry")).get("neuron");
        assertEquals(List.of("3", "matmul", "bf16"), List.of(neuron.get("optlevel"), neuron.get("auto_cast"),
                neuron.get("auto_cast_type")));
        Exception twice = assertThrows(Exception.class, () -> kernel.eval("%neuron_export --model " + model + " "
                + model + " " + dir.resolve("x") + " --cache_dir " + cache));
        assertTrue(twice.getMessage().contains("MODEL given twice"), twice.getMessage());
    }

    @Test
    void cliMagicsAndJShellRunAPipelineAlike() throws Exception {
        String encoder = TinyEncoders.generate(Architecture.BERT, EncoderHead.SEQUENCE_CLASSIFICATION, 3,
                dir.resolve("bert")).toString();
        String exported = dir.resolve("bert-cpu").toString();
        cli("export", encoder, exported, "--task", "text-classification", "--batch_size", "2", "--sequence_length", "16",
                "--cache_dir", cache);
        List<String> inputs = List.of("the man is eating food .", "paris", "a city");
        List<String> args = new java.util.ArrayList<>(List.of("pipeline", "text-classification", exported));
        inputs.forEach(i -> args.addAll(List.of("--input", i)));
        Map<?, ?> cli = (Map<?, ?>) PyJson.parse(cli(concat(args, "--format", "json")), "cli");
        String cell = "%%neuron_pipeline text-classification " + exported + "\n" + String.join("\n", inputs);
        PipelineResult magic = assertInstanceOf(PipelineResult.class, kernel.evalRaw(cell));
        Map<?, ?> shell = (Map<?, ?>) PyJson.parse(jshell("Jneuron.pipeline(\"text-classification\", \"" + exported
                + "\", \"" + String.join("\", \"", inputs) + "\")"), "jshell");
        Map<?, ?> fromMagic = (Map<?, ?>) PyJson.parse(Render.json(magic), "magic");

        assertEquals(3, ((List<?>) cli.get("outputs")).size(), cli.toString());
        for (String key : List.of("task", "backend", "batch_size", "sequence_length", "outputs")) {
            assertSame(cli.get(key), fromMagic.get(key), key);
            assertSame(cli.get(key), shell.get(key), key);
        }
        assertEquals(List.of("load_ms", "run_ms", "inputs_per_s"), List.copyOf(((Map<?, ?>) cli.get("timings")).keySet()));
        Map<?, ?> first = (Map<?, ?>) ((List<?>) cli.get("outputs")).get(0);
        assertEquals(List.of("label", "score", "scores"), List.copyOf(first.keySet()));
        assertEquals(first.get("label"), magic.table().rows().get(0).get(1), "the table shows each input's label");
        // --format json in the magic is the CLI's document (timings aside: they are measured per run).
        String json = text(kernel.eval(cell.replaceFirst("\n", " --format json\n")));
        assertSame(withoutTimings(cli), withoutTimings((Map<?, ?>) PyJson.parse(json, "magic json")), "document");
    }

    @Test
    void magicsHonourFormatAsTheCliDoes() {
        cli("export", model, dir.resolve("format").toString(), "--sequence_length", "32", "--cache_dir", cache);
        for (String format : List.of("json", "text", "html")) {
            String expected = cli("cache", "lookup", model, "--cache_dir", cache, "--format", format).strip();
            DisplayData d = kernel.eval("%neuron_cache lookup " + model + " --cache_dir " + cache + " --format " + format);
            assertEquals(expected, format.equals("html") ? ((String) d.getData(MIMEType.TEXT_HTML)).strip() : text(d),
                    format);
        }
        assertTrue(cli("cache", "lookup", model, "--cache_dir", cache, "--format", "html").contains("<table class=\""
                + Render.TABLE_CLASS + "\""));
        Exception bad = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> kernel.eval(
                "%neuron_cache lookup " + model + " --format yaml"));
        assertTrue(bad.getMessage().contains("--format 'yaml' is not text, html or json"), bad.getMessage());
    }

    @Test
    void cacheVerifySaysTheSameInTheCliAndTheMagic() throws Exception {
        String own = dir.resolve("verify-cache").toString();
        cli("export", model, dir.resolve("verify-out").toString(), "--sequence_length", "16", "--cache_dir", own);
        String healthy = cli("cache", "verify", own).strip();
        assertTrue(healthy.matches("Verified (\\d+) registry file\\(s\\) and module\\(s\\) in .*: \\1 ok, 0 bad"), healthy);
        int n = Integer.parseInt(healthy.split(" ")[1]);
        assertEquals(healthy, text(kernel.eval("%neuron_cache verify " + own)));

        Path entry;
        try (var files = Files.walk(Path.of(own))) {
            entry = files.filter(p -> p.toString().contains("0_REGISTRY") && p.toString().endsWith(".json")).findFirst()
                    .orElseThrow();
        }
        Files.writeString(entry, Files.readString(entry).replace("\"batch_size\": 1", "\"batch_size\": 2"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute("cache", "verify", own);
        assertEquals(1, code, err.toString());
        CacheResults.Verify magic = assertInstanceOf(CacheResults.Verify.class, kernel.evalRaw("%neuron_cache verify " + own));
        String headline = out.toString().lines().findFirst().orElseThrow();
        var m = java.util.regex.Pattern.compile("Verified " + n + " registry file\\(s\\) and module\\(s\\) in "
                + java.util.regex.Pattern.quote(own) + ": (\\d+) ok, (\\d+) bad; delete the bad ones and re-export those "
                + "models").matcher(headline);
        assertTrue(m.matches(), headline);
        int bad = Integer.parseInt(m.group(2));
        assertTrue(bad >= 1 && Integer.parseInt(m.group(1)) + bad == n, headline);
        assertEquals(headline, magic.headline());
        assertEquals(Render.text(magic), out.toString().strip(), "the cell shows what the terminal shows");
        assertEquals("error: " + bad + " of " + n + " registry file(s) and module(s) in " + own + " failed verification; "
                + "delete the bad ones and re-export those models", err.toString().strip());
    }

    /**
     * Equal documents, scores equal to 1e-6: the three runs share one JVM, and the encoder's softmax and GELU use
     * the Vector API's EXP and TANH, which C2 compiles to the JDK's vector math stubs while the interpreter and
     * C1 compute them lane by lane with scalar Math: the same input can differ in the last float bits before and
     * after the encoder is compiled (seen on Temurin 25 under load, ~5e-8 in a score).
     */
    private static void assertSame(Object expected, Object actual, String where) {
        if (expected instanceof Number e && actual instanceof Number a && (e instanceof Double || a instanceof Double)) {
            assertEquals(e.doubleValue(), a.doubleValue(), 1e-6, where);
        } else if (expected instanceof Map<?, ?> e && actual instanceof Map<?, ?> a) {
            assertEquals(e.keySet(), a.keySet(), where);
            e.forEach((k, v) -> assertSame(v, a.get(k), where + "." + k));
        } else if (expected instanceof List<?> e && actual instanceof List<?> a) {
            assertEquals(e.size(), a.size(), where);
            for (int i = 0; i < e.size(); i++) {
                assertSame(e.get(i), a.get(i), where + "[" + i + "]");
            }
        } else {
            assertEquals(expected, actual, where);
        }
    }

    private static Map<?, ?> withoutTimings(Map<?, ?> doc) {
        Map<Object, Object> m = new java.util.LinkedHashMap<>(doc);
        m.remove("timings");
        return m;
    }

    private static String text(DisplayData d) {
        return (String) d.getData(MIMEType.TEXT_PLAIN);
    }

    private static String[] concat(List<String> args, String... more) {
        List<String> all = new java.util.ArrayList<>(args);
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }

    private static String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        assertEquals(0, code, err.toString());
        return out.toString();
    }

    /** Evaluates {@code expr} (a Report) in a fresh JShell and returns its JSON, written to a file by the snippet. */
    private static String jshell(String expr) throws Exception {
        Path out = Files.createTempFile(dir, "jshell", ".json");
        try (JShell shell = JShell.builder().executionEngine("local").build()) {
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                shell.addToClasspath(entry);
            }
            for (String code : List.of("import io.jneuron.core.service.*;", "import io.jneuron.core.export.*;",
                    "java.nio.file.Files.writeString(java.nio.file.Path.of(\"" + out + "\"), "
                            + "io.jneuron.core.report.Render.json(" + expr + "));")) {
                for (SnippetEvent e : shell.eval(code)) {
                    assertEquals(Snippet.Status.VALID, e.status(), code + ": " + shell.diagnostics(e.snippet()).map(
                            d -> d.getMessage(null)).toList());
                    assertEquals(null, e.exception(), code);
                }
            }
        }
        return Files.readString(out);
    }
}
