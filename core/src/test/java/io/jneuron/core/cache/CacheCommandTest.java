package io.jneuron.core.cache;

import io.jneuron.core.cli.Main;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code jneuron cache} verbs through the real command tree, as bin/jneuron runs them. */
class CacheCommandTest {
    private static final String MODEL = "registry/hf-home/hub/models--llamafactory--tiny-random-Llama-3/snapshots/"
            + "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path tmp;
    Path cache;

    record Run(int code, String out, String err) {
        Object json() {
            return PyJson.parse(out, "stdout");
        }
    }

    @BeforeEach
    void fixtureCache() {
        cache = tmp.resolve("cache");
        Goldens.copyTree("registry/cache", cache);
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void lookupJsonIsOneDocumentWithTheDesignShape() {
        Run r = run("cache", "lookup", Goldens.path(MODEL).toString(), "--cache_dir", cache.toString(), "--format", "json");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        List<?> rows = (List<?>) r.json();
        assertEquals(2, rows.size());
        Map<?, ?> row = (Map<?, ?>) rows.get(1);
        assertEquals(Set.of("batch_size", "sequence_length", "tp_degree", "torch_dtype", "target", "checkpoint_id",
                "checkpoint_revision", "task", "compiler_type", "compiler_version", "auto_cast", "auto_cast_type",
                "optlevel", "entry", "source", "path", "strategy"), row.keySet());
        // The worked example (spec §2.6) is an NxD entry: neuronxcc_version, torch_dtype bfloat16, no auto_cast key.
        assertEquals(Arrays.asList("text-generation", "neuronx-cc", "2.21.33363.0+82129205", null, "bf16", null),
                Arrays.asList(row.get("task"), row.get("compiler_type"), row.get("compiler_version"),
                        row.get("auto_cast"), row.get("auto_cast_type"), row.get("optlevel")));
        assertEquals(List.of(2L, 512L, 2L, "bfloat16", "trn1", "a4c4264c36821c82951d", "local", "arch-digest"),
                List.of(row.get("batch_size"), row.get("sequence_length"), row.get("tp_degree"), row.get("torch_dtype"),
                        row.get("target"), row.get("entry"), row.get("source"), row.get("strategy")));
        assertEquals("0123456789abcdef0123456789abcdef01234567", row.get("checkpoint_revision"));
    }

    @Test
    void lookupTextIsATableAndFiltersApply() {
        Run r = run("cache", "lookup", Goldens.path(MODEL).toString(), "--cache_dir", cache.toString(),
                "--batch_size", "2", "--instance_type", "inf2", "--dtype", "bf16");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals("Cached entries for llamafactory/tiny-random-Llama-3 (found by arch-digest in " + cache + "):", lines[0]);
        assertEquals("batch size  sequence length  tensor parallel  dtype     instance type  task             "
                + "compiler type  compiler version       checkpoint revision                       auto_cast  "
                + "auto_cast_type  optlevel  source  entry", lines[1]);
        assertEquals("         2              512                2  bfloat16  trn1           text-generation  "
                + "neuronx-cc     2.21.33363.0+82129205  0123456789abcdef0123456789abcdef01234567  -          "
                + "bf16            -         local   a4c4264c36821c82951d", lines[2], "numbers right-aligned under their headers");
        assertEquals(3, lines.length);
        Run none = run("cache", "lookup", Goldens.path(MODEL).toString(), "--cache_dir", cache.toString(), "--batch_size", "64");
        assertEquals("No cached entries found for llamafactory/tiny-random-Llama-3.\n", none.out());
    }

    @Test
    void errorsAreOneLineOnStderrWithNothingOnStdout() {
        Run r = run("cache", "lookup", "./nobody/nothing", "--cache_dir", cache.toString(), "--format", "json");
        assertEquals(1, r.code());
        assertEquals("", r.out());
        assertEquals("error: model './nobody/nothing' is not a folder (no such directory); check the path\n", r.err());
        assertEquals(1, r.err().split("\n").length);
        Run repo = run("cache", "verify", cache.toString(), "--repo_id", "aws-neuron/optimum-neuron-cache");
        assertEquals("error: give DIR or --repo_id, not both\n", repo.err());
        assertEquals(1, run("cache", "status", "--cache_dir", cache.toString(), "--format", "xml").code());
        assertEquals(2, run("cache").code());
    }

    @Test
    void listGroupsModelsPerCompilerAndRegistryVersion() {
        Run r = run("cache", "list", "--cache_dir", cache.toString(), "--format", "json");
        assertEquals(0, r.code(), r.err());
        List<?> rows = (List<?>) r.json();
        assertEquals(5, rows.size(), r.out());
        Map<?, ?> first = (Map<?, ?>) rows.get(0);
        assertEquals(List.of("neuronxcc-2.12.68.0+4480452af", "0.0.18", "llamafactory/tiny-random-Llama-3", "llama",
                "text-generation", 1L), List.of(first.get("compiler"), first.get("registry_version"), first.get("model_id"),
                first.get("model_type"), first.get("task"), first.get("entries")));
        assertTrue(r.out().contains("\"entries\": 2"), "two llama entries in 0.4.5, counted once despite their aliases");
        Run text = run("cache", "list", "--cache_dir", cache.toString());
        assertTrue(text.out().startsWith("5 model(s) in the registry\ncompiler"), text.out());
    }

    @Test
    void statusAndCleanupReportInJsonAndText() throws Exception {
        Path failed = Files.createDirectories(cache.resolve("neuronxcc-2.21.33363.0+82129205/MODULE_7+39f12043"));
        Files.writeString(failed.resolve("model.log"), "error");
        Run s = run("cache", "status", "--cache_dir", cache.toString(), "--format", "json");
        assertEquals(0, s.code(), s.err());
        Map<?, ?> status = (Map<?, ?>) s.json();
        List<?> compilers = (List<?>) status.get("compilers");
        assertEquals(3, compilers.size());
        Map<?, ?> cur = (Map<?, ?>) compilers.get(2);
        assertEquals(true, cur.get("current"));
        assertEquals(1L, ((Map<?, ?>) ((Map<?, ?>) cur.get("states")).get("failed")).get("count"));
        assertTrue(run("cache", "status", "--cache_dir", cache.toString()).out()
                .contains("\nneuronxcc-2.21.33363.0+82129205  current  "));

        Run dry = run("cache", "cleanup", "--cache_dir", cache.toString(), "--dry-run");
        assertTrue(dry.out().startsWith("[dry run] would remove 1 item(s), freeing 5 B in " + cache + ".\n"), dry.out());
        Run c = run("cache", "cleanup", "--cache_dir", cache.toString(), "--format", "json", "--old-versions");
        Map<?, ?> report = (Map<?, ?>) c.json();
        assertEquals(3, ((List<?>) report.get("removed")).size(), c.out());
        assertTrue(Files.notExists(failed));
    }

    @Test
    void verifyExitsOneAndListsExactlyTheBadEntry() throws Exception {
        Run ok = run("cache", "verify", cache.toString(), "--format", "json");
        assertEquals(0, ok.code(), ok.err());
        assertEquals(9, ((List<?>) ok.json()).size());
        Path entry = cache.resolve("neuronxcc-2.21.33363.0+82129205/0_REGISTRY/0.3.0/llama/org/cafe/6c8668822bd2057f6366.json");
        Files.writeString(entry, Files.readString(entry).replace("\"max_topk\": 256", "\"max_topk\": 50"));
        Run bad = run("cache", "verify", "--cache_dir", cache.toString(), "--format", "json");
        assertEquals(1, bad.code());
        List<?> results = (List<?>) bad.json();
        List<?> failures = results.stream().filter(o -> Boolean.FALSE.equals(((Map<?, ?>) o).get("ok"))).toList();
        assertEquals(1, failures.size());
        assertEquals("neuronxcc-2.21.33363.0+82129205/0_REGISTRY/0.3.0/llama/org/cafe/6c8668822bd2057f6366.json",
                ((Map<?, ?>) failures.get(0)).get("path"));
        assertEquals("error: 1 of 9 registry file(s) and module(s) in " + cache + " failed verification; delete the bad "
                + "ones and re-export those models\n", bad.err());
    }
}
