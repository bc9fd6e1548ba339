package io.jneuron.core.cache;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** cache verify flags exactly the damaged registry files and never a valid one. */
class RegistryVerifyTest {
    private static final String V045 = "neuronxcc-2.21.33363.0+82129205/0_REGISTRY/0.4.5/";
    private static final String LLAMA_DIGEST = "b6044fb704e3fcc9e20e960f055dac44a44e9a6fd42926649b83378883e430c7";

    @TempDir
    Path tmp;
    Path cache;

    @BeforeEach
    void pythonWrittenRegistryPlusJavaWrittenEntries() {
        cache = tmp.resolve("cache");
        Goldens.copyTree("registry/cache", cache);
        Registry.local(cache).write(Fixtures.NEURONXCC, "0.4.6.dev4", Fixtures.entry("worked-example"));
        Registry.local(cache).write(new CompilerId("jneuron-cpu", "0.1.0"), Fixtures.entry("bert-id2label"));
    }

    @Test
    void everyPythonAndJavaWrittenEntryIsValid() {
        List<VerifyResult> results = Registry.local(cache).verify();
        assertEquals(13, results.size(), results.toString()); // 9 from Python, 4 from Java
        assertEquals(List.of(), results.stream().filter(r -> !r.ok()).toList());
        assertTrue(results.stream().anyMatch(r -> r.path().endsWith("0.0.18/llama/llamafactory/tiny-random-Llama-3/"
                + "4dea6392bffeae5d348b.json")), "the unsorted v0.0.18 recipe");
    }

    @Test
    void verifyReportsExactlyTheCorruptedTamperedAndHostileFiles() throws IOException {
        Set<String> bad = new TreeSet<>();
        // 1. a value changed in place (same name, different content)
        bad.add(edit(V045 + LLAMA_DIGEST + "/a4c4264c36821c82951d.json", "\"batch_size\": 2", "\"batch_size\": 3"));
        // 2. a legacy entry truncated by a crash
        String legacy = "neuronxcc-2.15.141.0+d3cfc8ca/0_REGISTRY/0.0.25/inference/llama/llamafactory/tiny-random-Llama-3/"
                + "3d61e3291838de85cd9b.json";
        Files.write(cache.resolve(legacy), java.util.Arrays.copyOf(Files.readAllBytes(cache.resolve(legacy)), 100));
        bad.add(legacy);
        // 3. an alias rewritten with a different sequence length (a Hub copy that was edited)
        bad.add(edit(V045 + "llama/llamafactory/tiny-random-Llama-3/f1a0894d9302e6defdc6.json",
                "\"sequence_length\": 128", "\"sequence_length\": 4096"));
        // 4. a valid entry filed under another model's arch digest
        String moved = V045 + LLAMA_DIGEST + "/2e74cfaa0a86c5deb6b9.json";
        Files.copy(cache.resolve(V045 + "bert/hf-internal-testing/tiny-random-BertForSequenceClassification/"
                + "2e74cfaa0a86c5deb6b9.json"), cache.resolve(moved));
        bad.add(moved);
        // 5. malformed JSON, 6. a JSON bomb, 7. a huge file, 8. not an object, 9. a name that is not a hash
        bad.add(write(V045 + LLAMA_DIGEST + "/00000000000000000001.json", "{\"model_type\": \"llama\", "));
        bad.add(write(V045 + LLAMA_DIGEST + "/00000000000000000002.json", "[".repeat(50_000) + "]".repeat(50_000)));
        bad.add(huge(V045 + LLAMA_DIGEST + "/00000000000000000003.json"));
        bad.add(write(V045 + LLAMA_DIGEST + "/00000000000000000004.json", "[1, 2]"));
        bad.add(write(V045 + "llama/org/name/notes.json", "{}"));
        // 10. symlinks out of the cache root: to a file, to a folder, dangling
        Path outside = Files.writeString(tmp.resolve("secret.json"), "{\"model_type\": \"llama\"}");
        bad.add(link(V045 + "llama/org/name/aaaaaaaaaaaaaaaaaaaa.json", outside));
        bad.add(link(V045 + "llama/escape", tmp));
        bad.add(link(V045 + "llama/org/name/bbbbbbbbbbbbbbbbbbbb.json", tmp.resolve("missing.json")));
        // 11. an entry where no version puts one
        bad.add(write(V045 + "stray.json", "{}"));
        // a symlink that stays inside (optimum's alias) is fine, and so is an unknown version folder's valid entry
        link(V045 + "llama/org/ok/a4c4264c36821c82951d.json", cache.resolve(V045 + "llama/llamafactory/tiny-random-Llama-3/"
                + "a4c4264c36821c82951d.json"));
        Files.createDirectories(cache.resolve("neuronxcc-2.21.33363.0+82129205/0_REGISTRY/custom/llama/org/name"));
        Files.copy(cache.resolve("neuronxcc-2.12.68.0+4480452af/0_REGISTRY/0.0.18/llama/llamafactory/tiny-random-Llama-3/"
                + "4dea6392bffeae5d348b.json"),
                cache.resolve("neuronxcc-2.21.33363.0+82129205/0_REGISTRY/custom/llama/org/name/4dea6392bffeae5d348b.json"));

        List<VerifyResult> results = Registry.local(cache).verify();
        Map<String, String> flagged = new TreeMap<>();
        results.stream().filter(r -> !r.ok()).forEach(r -> flagged.put(r.path(), r.reason()));
        assertEquals(bad, flagged.keySet(), flagged.toString());
        assertEquals(13 - 3 + 2, results.stream().filter(VerifyResult::ok).count(), results.toString());

        String reason = flagged.get(V045 + LLAMA_DIGEST + "/a4c4264c36821c82951d.json");
        assertTrue(reason.startsWith("content hashes to ") && reason.endsWith(", not to its name a4c4264c36821c82951d: the "
                + "entry was modified or corrupted; delete it and re-export the model"), reason);
        assertTrue(flagged.get(moved).startsWith("filed under arch digest " + LLAMA_DIGEST + " but its config gives "),
                flagged.get(moved));
        assertTrue(flagged.get(V045 + "llama/org/name/aaaaaaaaaaaaaaaaaaaa.json").startsWith("symlink leads outside the "
                + "cache root"), flagged.toString());
        assertTrue(flagged.get(V045 + LLAMA_DIGEST + "/00000000000000000002.json").contains("nested deeper than 128"));
        assertTrue(flagged.get(V045 + LLAMA_DIGEST + "/00000000000000000003.json").contains("larger than any registry entry"));
    }

    @Test
    void listingSkipsHostileFilesAndStillFindsEveryGoodEntry() throws IOException {
        write(V045 + LLAMA_DIGEST + "/00000000000000000001.json", "{\"model_type\"");
        link(V045 + "llama/org/name/aaaaaaaaaaaaaaaaaaaa.json", Files.writeString(tmp.resolve("x.json"), "{}"));
        RegistryScan scan = Registry.local(cache).scan();
        assertEquals(13, scan.entries().size());
        assertEquals(Set.of(V045 + LLAMA_DIGEST + "/00000000000000000001.json", V045 + "llama/org/name/aaaaaaaaaaaaaaaaaaaa.json"),
                scan.problems().stream().map(RegistryProblem::path).collect(Collectors.toSet()));
        List<LookupMatch> rows = Registry.local(cache).lookup(LookupQuery.of(Fixtures.LLAMA, Fixtures.config("worked-example")),
                p -> { });
        assertEquals(3, rows.size(), rows.toString()); // two in 0.4.5, the Java-written one in 0.4.6.dev4
    }

    private String edit(String rel, String from, String to) throws IOException {
        String s = Files.readString(cache.resolve(rel));
        assertTrue(s.contains(from), rel);
        Path p = cache.resolve(rel);
        Files.writeString(p, s.replace(from, to), StandardCharsets.US_ASCII);
        return rel;
    }

    private String write(String rel, String content) throws IOException {
        Files.createDirectories(cache.resolve(rel).getParent());
        Files.writeString(cache.resolve(rel), content);
        return rel;
    }

    private String huge(String rel) throws IOException {
        try (OutputStream out = Files.newOutputStream(cache.resolve(rel))) {
            byte[] block = new byte[1 << 20];
            java.util.Arrays.fill(block, (byte) ' ');
            out.write('{');
            for (int i = 0; i < 17; i++) {
                out.write(block);
            }
            out.write('}');
        }
        return rel;
    }

    private String link(String rel, Path target) throws IOException {
        Files.createDirectories(cache.resolve(rel).getParent());
        Files.createSymbolicLink(cache.resolve(rel), target);
        return rel;
    }
}
