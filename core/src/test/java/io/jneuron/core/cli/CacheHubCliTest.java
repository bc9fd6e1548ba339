package io.jneuron.core.cli;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.cache.CompilerId;
import io.jneuron.core.cache.PyJson;
import io.jneuron.core.cache.Registry;
import io.jneuron.core.cache.RegistryEntry;
import io.jneuron.core.hub.HubClient;
import io.jneuron.core.hub.HubToken;
import io.jneuron.core.hub.RequestCounter;
import io.jneuron.core.hub.LocalHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Hub verbs of {@code jneuron cache} against a LocalHub: federated lookup, synchronize, create and set. */
class CacheHubCliTest {
    static final String CANARY = "hf_CANARYtoken4f1c9e2d7b3a";
    static final String REPO = "team/cache";
    static final CompilerId NEURONXCC = new CompilerId("neuronxcc", "2.21.33363.0+82129205");

    @TempDir
    Path tmp;
    LocalHub hub;
    Map<String, String> env = new HashMap<>();
    Path modelDir;

    record Run(int code, String out, String err) {
    }

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(tmp.resolve("hub").resolve(REPO));
        hub = LocalHub.start(tmp.resolve("hub"), HubToken.of(CANARY));
        env.put("HF_HOME", tmp.resolve("hf").toString());
        env.put("HF_ENDPOINT", hub.url());
        env.put("HF_TOKEN", CANARY);
        env.put("CUSTOM_CACHE_REPO", REPO);
        modelDir = Files.createDirectories(tmp.resolve("model"));
        Map<String, Object> cfg = new LinkedHashMap<>(config());
        cfg.put("_name_or_path", "org/tiny");
        Files.writeString(modelDir.resolve("config.json"), PyJson.dumps(cfg, PyJson.Style.INDENT2));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    static Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("architectures", List.of("LlamaForCausalLM"));
        c.put("hidden_size", 16L);
        c.put("model_type", "llama");
        c.put("num_hidden_layers", 2L);
        return c;
    }

    static void write(Path cache, long batch) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("batch_size", batch);
        n.put("sequence_length", 128L);
        n.put("tp_degree", 1L);
        n.put("torch_dtype", "bfloat16");
        n.put("target", "trn1");
        Registry.local(cache).write(NEURONXCC, RegistryEntry.create(config(), n, "org/tiny", "text-generation"));
    }

    Run run(String... args) {
        return run(new CacheCommand(env), args);
    }

    Run run(CacheCommand command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, c, p) -> {
            if (ex instanceof NeuronKernelException) {
                c.getErr().println("error: " + ex.getMessage());
                return 1;
            }
            throw ex;
        });
        int code = cl.execute(args);
        Run r = new Run(code, out.toString(), err.toString());
        assertFalse((r.out() + r.err()).contains("CANARY"), "the token leaked: " + r);
        return r;
    }

    @Test
    void lookupMergesLocalAndHubRowsEachLabelledWithItsSource() {
        Path a = tmp.resolve("host-a");
        write(a, 1);
        write(a, 2);
        Run sync = run("synchronize", "--cache_dir", a.toString());
        assertEquals(0, sync.code(), sync.err());
        assertTrue(sync.out().endsWith("4 file(s) uploaded in 1 commit(s), 0 unchanged, 0 skipped.\n"), sync.out());
        assertTrue(run("synchronize", "--cache_dir", a.toString()).out().contains(" 0 file(s) uploaded in 0 commit(s), 4 unchanged"));

        Path b = tmp.resolve("host-b");
        write(b, 4);
        Run json = run("lookup", modelDir.toString(), "--cache_dir", b.toString(), "--format", "json");
        assertEquals(0, json.code(), json.err());
        assertEquals("", json.err());
        List<?> rows = (List<?>) PyJson.parse(json.out(), "stdout");
        assertEquals(List.of("4 local", "1 hub", "2 hub"), rows.stream().map(o -> (Map<?, ?>) o)
                .map(m -> m.get("batch_size") + " " + m.get("source")).toList());

        Run text = run("lookup", modelDir.toString(), "--cache_dir", b.toString());
        String[] lines = text.out().split("\n");
        assertEquals("Cached entries for local/model (found by arch-digest in " + b + " and " + REPO + "):", lines[0]);
        assertEquals(5, lines.length, text.out());
        assertTrue(lines[2].contains(" local ") && lines[3].contains(" hub ") && lines[4].contains(" hub "), text.out());
    }

    @Test
    void lookupOfAHubIdWithNoLocalCopyFetchesItsConfigThenTheRepoRowsInBoundedRequests() throws Exception {
        Path a = tmp.resolve("host-a");
        for (long batch = 1; batch <= 3; batch++) {
            write(a, batch);
        }
        assertEquals(0, run("synchronize", "--cache_dir", a.toString()).code());
        Path model = Files.createDirectories(tmp.resolve("hub/meta-llama/Llama-3.1-8B"));
        Files.writeString(model.resolve("config.json"), PyJson.dumps(config(), PyJson.Style.INDENT2));
        Files.writeString(model.resolve("model.safetensors"), "weights a lookup never fetches");
        env.put("HF_HOME", tmp.resolve("fresh-hf").toString());
        RequestCounter counter = new RequestCounter();
        CacheCommand command = new CacheCommand(env, c -> HubClient.builder(c).addNetworkInterceptor(counter).build());
        Run r = run(command, "lookup", "meta-llama/Llama-3.1-8B", "--repo_id", REPO,
                "--cache_dir", tmp.resolve("empty-cache").toString(), "--format", "json");
        assertEquals(0, r.code(), r.err());
        List<?> rows = (List<?>) PyJson.parse(r.out(), "stdout");
        assertEquals(List.of("1 hub", "2 hub", "3 hub"), rows.stream().map(o -> (Map<?, ?>) o)
                .map(m -> m.get("batch_size") + " " + m.get("source")).toList());
        List<String> requests = counter.requests();
        // config.json (HEAD + GET), then the repo: info, root, 0_REGISTRY, the digest folder, and HEAD + GET per row.
        assertEquals(List.of("HEAD /meta-llama/Llama-3.1-8B/resolve/main/config.json",
                "GET /meta-llama/Llama-3.1-8B/resolve/main/config.json"), requests.subList(0, 2));
        assertEquals(2 + 4 + 2 * rows.size(), requests.size(), String.join("\n", requests));
        assertTrue(requests.stream().noneMatch(q -> q.contains("safetensors")), "a lookup fetches the config only");
        assertTrue(Files.isRegularFile(tmp.resolve("fresh-hf/hub/models--meta-llama--Llama-3.1-8B/refs/main")),
                "the config lands in the standard Hugging Face cache");
        // The second lookup reads the config from that cache.
        int before = counter.count();
        assertEquals(0, run(command, "lookup", "meta-llama/Llama-3.1-8B", "--cache_dir",
                tmp.resolve("empty-cache").toString(), "--repo_id", REPO).code());
        List<String> again = counter.requests().subList(before, counter.count());
        assertTrue(again.stream().noneMatch(q -> q.contains("config.json")), again.toString());
        assertTrue(again.size() <= 4 + 2 * rows.size(), again.toString());
    }

    @Test
    void verifyReHashesTheRepoRegistryAndFindsATamperedEntry() throws Exception {
        Path a = tmp.resolve("host-a");
        write(a, 1);
        write(a, 2);
        assertEquals(0, run("synchronize", "--cache_dir", a.toString()).code());
        Run clean = run("verify", "--repo_id", REPO, "--format", "json");
        assertEquals(0, clean.code(), clean.err());
        List<?> ok = (List<?>) PyJson.parse(clean.out(), "stdout");
        assertEquals(4, ok.size(), clean.out()); // two entries, each with its alias
        assertTrue(ok.stream().allMatch(o -> Boolean.TRUE.equals(((Map<?, ?>) o).get("ok"))), clean.out());

        // Tamper with one canonical entry on the Hub side (the LocalHub serves plain folders).
        Path served;
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(tmp.resolve("hub"))) {
            served = files.filter(p -> p.toString().endsWith(".json") && p.toString().contains("0_REGISTRY")
                    && !p.toString().contains("/llama/")).findFirst().orElseThrow();
        }
        java.nio.file.Files.writeString(served, java.nio.file.Files.readString(served).replace("128", "256"));
        Run bad = run("verify", "--repo_id", REPO, "--format", "json");
        assertEquals(1, bad.code());
        List<?> rows = (List<?>) PyJson.parse(bad.out(), "stdout");
        assertEquals(1, rows.stream().filter(o -> Boolean.FALSE.equals(((Map<?, ?>) o).get("ok"))).count(), bad.out());
    }

    @Test
    void anUnreachableRepoKeepsLocalRowsWithOneWarningAndOfflineAsksNothing() {
        Path b = tmp.resolve("host-b");
        write(b, 4);
        Run json = run("lookup", modelDir.toString(), "--cache_dir", b.toString(), "--repo_id", "team/missing",
                "--format", "json");
        assertEquals(0, json.code(), json.err());
        assertEquals(1, ((List<?>) PyJson.parse(json.out(), "stdout")).size());
        assertEquals(1, json.err().lines().count(), json.err());
        assertTrue(json.err().startsWith("warning: cannot search the cache repo team/missing: "), json.err());

        Path a = tmp.resolve("host-a");
        write(a, 1);
        assertEquals(0, run("synchronize", "--cache_dir", a.toString()).code());
        env.put("HF_HUB_OFFLINE", "1");
        Run offline = run("lookup", modelDir.toString(), "--cache_dir", b.toString(), "--format", "json");
        assertEquals("", offline.err());
        assertEquals(1, ((List<?>) PyJson.parse(offline.out(), "stdout")).size(), "no Hub rows offline");
    }

    @Test
    void createAndSetRecordTheRepoAndRefuseOneThatCannotBeRead() throws Exception {
        env.remove("CUSTOM_CACHE_REPO");
        Path file = tmp.resolve("hf").resolve("optimum_neuron_custom_cache");
        Run created = run("create", "-n", "team/created");
        assertEquals(0, created.code(), created.err());
        assertEquals("Neuron cache created on the Hugging Face Hub: team/created [private].\n"
                + "Neuron cache name set locally to team/created in " + file + ".\n", created.out());
        assertEquals("team/created", Files.readString(file));

        Run set = run("set", REPO);
        assertEquals(0, set.code(), set.err());
        assertEquals("warning: replaced the cache repo team/created with " + REPO + "\n", set.err());
        assertEquals(REPO, Files.readString(file));

        Run bad = run("set", "team/nope");
        assertEquals(1, bad.code());
        assertTrue(bad.err().startsWith("error: cannot use team/nope as the cache repo: "), bad.err());
        assertEquals(REPO, Files.readString(file), "a refused repo changes nothing");

        Run again = run("create", "-n", "team/created");
        assertEquals(1, again.code());
        assertTrue(again.err().contains("it exists already: use `jneuron cache set team/created`"), again.err());
    }
}
