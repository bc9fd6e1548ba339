package io.jneuron.core.cache;

import io.jneuron.core.hub.HubClient;
import io.jneuron.core.hub.HubConfig;
import io.jneuron.core.hub.HubToken;
import io.jneuron.core.hub.LocalHub;
import io.jneuron.core.hub.RequestCounter;
import io.jneuron.core.hub.TreeEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code cache synchronize}: what is uploaded, what never is, idempotence and two hosts at once. */
class CacheSyncTest {
    static final String CANARY = HubLookupTest.CANARY;
    static final String REPO = "team/sync-cache";
    static final CompilerId CPU = new CompilerId("jneuron-cpu", "0.1.0");

    @TempDir
    Path tmp;
    LocalHub hub;
    HubClient client;
    RequestCounter counter = new RequestCounter();

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(tmp.resolve("hub").resolve(REPO));
        hub = LocalHub.start(tmp.resolve("hub"), HubToken.of(CANARY));
        client = HubClient.builder(HubConfig.of(hub.url(), HubToken.of(CANARY), tmp.resolve("hf")))
                .addNetworkInterceptor(counter).retryBaseMillis(20).build();
    }

    @AfterEach
    void stop() {
        client.close();
        hub.close();
    }

    /** A cache with one good module, one failed, one locked, a registry entry (with its alias link) and hostile links. */
    Set<String> fill(Path root, String tag) throws Exception {
        CompileCache cache = new CompileCache(root, CPU);
        String good = "good" + tag;
        cache.compileOnce(good, dir -> Files.writeString(dir.resolve("model.cpu"), "artifact " + tag));
        assertThrows(RuntimeException.class, () -> cache.compileOnce("failed" + tag, dir -> {
            throw new IllegalStateException("boom");
        }));
        Path locked = Files.createDirectories(cache.dir().resolve("MODULE_locked" + tag));
        Files.writeString(locked.resolve(OptimumCompat.LOCK_FILE), "{}");
        Files.writeString(locked.resolve("model.cpu"), "half");
        Path outside = Files.writeString(tmp.resolve("secret-" + tag), "not for the Hub");
        Files.createSymbolicLink(cache.dir().resolve("MODULE_" + good).resolve("leak.bin"), outside);
        Files.writeString(cache.dir().resolve("MODULE_" + good).resolve("model.cpu.lock"), "stray lock");
        WrittenEntry w = Registry.local(root).write(CPU, HubLookupTest.entry(tag.length() + 100, 1, 128, 1));
        Files.createSymbolicLink(w.canonical().resolveSibling("evil.json"), outside);
        Files.writeString(w.canonical().resolveSibling(".jneuron-tmp-1-x"), "temp");
        String m = CPU.folderName() + "/MODULE_" + good + "/";
        return new TreeSet<>(List.of(m + "model.cpu", m + "model.done", rel(root, w.canonical()), rel(root, w.alias())));
    }

    static String rel(Path root, Path p) {
        return root.relativize(p).toString();
    }

    Set<String> remoteFiles() {
        return client.listTree(REPO, "", true).stream().filter(e -> !e.directory()).map(TreeEntry::path)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void uploadsOnlyCompleteModulesAndRegistryAndASecondSyncUploadsNothing() throws Exception {
        Path root = tmp.resolve("cache");
        Set<String> expected = fill(root, "a");
        CacheSync.Report r = CacheSync.synchronize(root, client, REPO);
        assertEquals(expected, remoteFiles());
        assertEquals(expected, new TreeSet<>(r.uploaded()));
        assertEquals(1, r.commits().size());
        String done = CPU.folderName() + "/MODULE_gooda/model.done";
        assertTrue(r.uploaded().indexOf(done) > r.uploaded().indexOf(CPU.folderName() + "/MODULE_gooda/model.cpu"),
                "model.done goes after the module's files");
        Set<String> reasons = r.skipped().stream().map(s -> s.path() + ": " + s.reason()).collect(Collectors.toSet());
        assertTrue(reasons.contains(CPU.folderName() + "/MODULE_faileda: failed module"), reasons.toString());
        assertTrue(reasons.contains(CPU.folderName() + "/MODULE_lockeda: locked module"), reasons.toString());
        assertTrue(reasons.contains(CPU.folderName() + "/MODULE_gooda/model.cpu.lock: lock file"), reasons.toString());
        assertTrue(reasons.stream().anyMatch(s -> s.startsWith(CPU.folderName() + "/MODULE_gooda/leak.bin: symlink leads "
                + "outside")), reasons.toString());
        assertTrue(reasons.stream().anyMatch(s -> s.contains("evil.json: symlink leads outside")), reasons.toString());
        byte[] alias = Files.readAllBytes(client.download(REPO, expected.stream().filter(p -> p.contains("/llama/"))
                .findFirst().orElseThrow()));
        assertEquals(HubLookupTest.entry(101, 1, 128, 1).toJson(), new String(alias, StandardCharsets.US_ASCII),
                "the alias is uploaded as a copy of the entry");

        String head = client.repoInfo(REPO, null).sha();
        int before = counter.count();
        CacheSync.Report again = CacheSync.synchronize(root, client, REPO);
        assertEquals(List.of(), again.uploaded());
        assertEquals(List.of(), again.commits());
        assertEquals(expected.size(), again.unchanged());
        assertEquals(head, client.repoInfo(REPO, null).sha());
        System.out.println("[sync] idempotent re-sync: " + (counter.count() - before) + " requests, no commit");

        // Resumable: a module completed since the last run is all that goes up next time.
        new CompileCache(root, CPU).compileOnce("later", dir -> Files.writeString(dir.resolve("model.cpu"), "later"));
        CacheSync.Report third = CacheSync.synchronize(root, client, REPO);
        assertEquals(List.of(CPU.folderName() + "/MODULE_later/model.cpu", CPU.folderName() + "/MODULE_later/model.done"),
                third.uploaded());
    }

    @Test
    void twoHostsSynchronizingAtOnceBothLand() throws Exception {
        Path a = tmp.resolve("host-a");
        Path b = tmp.resolve("host-b");
        Set<String> expected = new HashSet<>(fill(a, "a"));
        expected.addAll(fill(b, "bb"));
        CompletableFuture<CacheSync.Report> ra = CompletableFuture.supplyAsync(() -> CacheSync.synchronize(a, client, REPO));
        CompletableFuture<CacheSync.Report> rb = CompletableFuture.supplyAsync(() -> CacheSync.synchronize(b, client, REPO));
        assertEquals(1, ra.get().commits().size());
        assertEquals(1, rb.get().commits().size());
        assertEquals(new TreeSet<>(expected), remoteFiles());
    }

    @Test
    void aMissingRepoIsAClearErrorWithoutTheToken() throws Exception {
        Path root = tmp.resolve("cache");
        fill(root, "a");
        CacheException e = assertThrows(CacheException.class, () -> CacheSync.synchronize(root, client, "team/nope"));
        assertTrue(e.getMessage().startsWith("cannot synchronize to team/nope: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("(create it with `jneuron cache create`, or check the name and your token)"),
                e.getMessage());
        assertTrue(!e.getMessage().contains("CANARY"), e.getMessage());
    }
}
