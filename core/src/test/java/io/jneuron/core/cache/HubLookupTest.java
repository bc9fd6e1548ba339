package io.jneuron.core.cache;

import io.jneuron.core.hub.HubClient;
import io.jneuron.core.hub.HubConfig;
import io.jneuron.core.hub.HubToken;
import io.jneuron.core.hub.LocalHub;
import io.jneuron.core.hub.RequestCounter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Federated lookup against a Hub cache repo with thousands of registry entries over many models: the requests
 * grow with the matches, not with the repo, and the Hub rows equal a local lookup of the same tree.
 */
class HubLookupTest {
    static final String CANARY = "hf_CANARYtoken4f1c9e2d7b3a";
    static final String REPO = "team/neuron-cache";
    static final int MODELS = 40;
    /** Entries per model; the models the tests look up have few, so the test stays fast and the counts differ. */
    static final Map<Integer, Integer> FEW = Map.of(3, 2, 31, 6, 5, 6);
    static final int ENTRIES_PER_MODEL = 30;

    @TempDir
    static Path tmp;
    static Path cache;
    static LocalHub hub;

    @BeforeAll
    static void fillCacheAndRepo() throws IOException {
        long t0 = System.nanoTime();
        cache = tmp.resolve("cache");
        Path version = cache.resolve(Fixtures.NEURONXCC.folderName()).resolve("0_REGISTRY").resolve(OptimumCompat.REGISTRY_VERSION);
        for (int m = 0; m < MODELS; m++) {
            for (int e = 0; e < FEW.getOrDefault(m, ENTRIES_PER_MODEL); e++) {
                // Registry.write's layout without its fsyncs: thousands of synced files would take most of a minute.
                RegistryEntry entry = entry(m, 1L << (e % 5), 128L << (e / 5 % 4), 1L + e / 20);
                Path canonical = version.resolve(entry.archDigest()).resolve(entry.hash() + ".json");
                Path alias = version.resolve("llama").resolve(modelId(m)).resolve(entry.hash() + ".json");
                Files.createDirectories(canonical.getParent());
                Files.writeString(canonical, entry.toJson());
                Files.createDirectories(alias.getParent());
                Files.createSymbolicLink(alias, alias.getParent().relativize(canonical));
            }
        }
        Path hubDir = Files.createDirectories(tmp.resolve("hub"));
        copyFollowingLinks(cache, hubDir.resolve(REPO)); // the Hub holds aliases as plain copies (spec §2.1)
        hub = LocalHub.start(hubDir, HubToken.of(CANARY));
        System.out.println("[hub-lookup] setup " + (System.nanoTime() - t0) / 1e6 + " ms");
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    static Map<String, Object> config(int model) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("architectures", List.of("LlamaForCausalLM"));
        c.put("hidden_size", 16L + model);
        c.put("model_type", "llama");
        c.put("num_hidden_layers", 2L);
        c.put("vocab_size", 256L);
        return c;
    }

    static String modelId(int model) {
        return "org" + (model % 7) + "/tiny-" + model;
    }

    static RegistryEntry entry(int model, long batch, long seq, long tp) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("batch_size", batch);
        n.put("sequence_length", seq);
        n.put("tp_degree", tp);
        n.put("torch_dtype", "bfloat16");
        n.put("target", "trn1");
        n.put("checkpoint_id", modelId(model));
        n.put("checkpoint_revision", "0123456789abcdef0123456789abcdef01234567");
        return RegistryEntry.create(config(model), n, modelId(model), "text-generation");
    }

    static LookupQuery query(int model) {
        return LookupQuery.of(modelId(model), config(model)).withTask("text-generation");
    }

    static void copyFollowingLinks(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    private HubClient client(RequestCounter counter, Path hfHome) {
        return HubClient.builder(HubConfig.of(hub.url(), HubToken.of(CANARY), hfHome)).addNetworkInterceptor(counter)
                .build();
    }

    /** The rows without their source, so a Hub row and a local row of the same file compare equal. */
    private static List<String> comparable(List<LookupMatch> rows) {
        List<String> out = new ArrayList<>();
        for (LookupMatch r : rows) {
            out.add(r.withSource("-").toString());
        }
        return out;
    }

    @Test
    void hubLookupRequestsGrowWithMatchesNotRepoSizeAndEqualALocalLookup() throws IOException {
        long files;
        try (Stream<Path> s = Files.walk(tmp.resolve("hub").resolve(REPO))) {
            files = s.filter(Files::isRegularFile).count();
        }
        assertTrue(files >= 2L * MODELS * 10, "the repo holds thousands of registry files: " + files);
        Registry local = Registry.local(cache);
        for (int model : new int[] {3, 31}) {
            RequestCounter counter = new RequestCounter();
            try (HubClient client = client(counter, tmp.resolve("hf-" + model))) {
                FederatedLookup.Result r = FederatedLookup.lookup(query(model), local,
                        Optional.of(RegistrySource.hub(client, REPO)), p -> { throw new AssertionError(p.toString()); });
                List<LookupMatch> localRows = r.rows().stream().filter(x -> x.source().equals("local")).toList();
                List<LookupMatch> hubRows = r.rows().stream().filter(x -> x.source().equals("hub")).toList();
                assertEquals(List.of(), r.warnings());
                assertEquals((int) FEW.get(model), hubRows.size());
                assertEquals(comparable(localRows), comparable(hubRows));
                // repo info (pins the commit) + root + one 0_REGISTRY + one digest folder, then HEAD+GET per match.
                assertEquals(4 + 2 * hubRows.size(), counter.count(), String.join("\n", counter.requests()));
                System.out.println("[hub-lookup] model " + model + ": " + files + " files in the repo, "
                        + hubRows.size() + " matches, " + counter.count() + " requests");
            }
        }
    }

    @Test
    void filtersAndMissesStayBounded() {
        RequestCounter counter = new RequestCounter();
        try (HubClient client = client(counter, tmp.resolve("hf-filter"))) {
            Registry hubRegistry = Registry.over(RegistrySource.hub(client, REPO));
            List<LookupMatch> rows = hubRegistry.lookup(query(5).withBatchSize(1L),
                    FederatedLookup.HUB_STRATEGIES, p -> { });
            assertEquals(comparable(Registry.local(cache).lookup(query(5).withBatchSize(1L),
                    p -> { })), comparable(rows));
            assertEquals(2, rows.size());
            int afterHit = counter.count();
            // Filters apply after download, as optimum's do: the cost is the model's entries, 6 here.
            assertEquals(4 + 2 * FEW.get(5), afterHit);

            Map<String, Object> unknown = config(999);
            List<LookupMatch> none = hubRegistry.lookup(LookupQuery.of("nobody/none", unknown).withTask("text-generation"),
                    FederatedLookup.HUB_STRATEGIES, p -> { });
            assertEquals(List.of(), none);
            // A miss: the listings that find nothing (digest folder, then the alias folders), no downloads.
            int miss = counter.count() - afterHit;
            assertTrue(miss <= 8, "a miss costs a few listings, got " + miss + ": " + counter.requests());
            System.out.println("[hub-lookup] miss: " + miss + " requests");
        }
    }

    @Test
    void offlineMakesNoConnectionAndAnUnknownRepoIsAWarningWithoutTheToken() {
        RequestCounter counter = new RequestCounter();
        HubConfig offline = HubConfig.of(hub.url(), HubToken.of(CANARY), tmp.resolve("hf-offline")).withOffline(true);
        assertEquals(Optional.empty(), CacheRepo.resolve(null, offline, Map.of("CUSTOM_CACHE_REPO", REPO)));
        try (HubClient client = HubClient.builder(offline).addNetworkInterceptor(counter).build()) {
            FederatedLookup.Result r = FederatedLookup.lookup(query(3), Registry.local(cache),
                    Optional.of(RegistrySource.hub(client, REPO)), p -> { });
            assertEquals((int) FEW.get(3), r.rows().size(), "the local rows are still there");
            assertEquals(1, r.warnings().size());
            assertEquals(0, counter.count());
        }
        try (HubClient client = client(counter, tmp.resolve("hf-missing"))) {
            FederatedLookup.Result r = FederatedLookup.lookup(query(3), Registry.local(cache),
                    Optional.of(RegistrySource.hub(client, "team/missing")), p -> { });
            assertEquals((int) FEW.get(3), r.rows().size());
            assertEquals(1, r.warnings().size());
            assertTrue(r.warnings().get(0).startsWith("warning: cannot search the cache repo team/missing: "),
                    r.warnings().get(0));
            assertFalse(r.warnings().get(0).contains("CANARY"), r.warnings().get(0));
        }
    }
}
