package io.jneuron.core.hub;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our client against our server: create, commit (inline and LFS), list with pages, info, download, HEAD, errors. */
class LocalHubRoundTripTest {
    static final HubToken TOKEN = HubToken.of(TokenCanary.VALUE);

    @TempDir
    Path tmp;
    LocalHub hub;
    HubClient client;
    RequestCounter counter;

    @BeforeEach
    void start() throws IOException {
        Files.createDirectories(tmp.resolve("served"));
        hub = LocalHub.start(tmp.resolve("served"), "127.0.0.1", 0, TOKEN, 1024, 2);
        counter = new RequestCounter();
        client = HubClient.builder(HubConfig.of(hub.url(), TOKEN, tmp.resolve("hf")))
                .addNetworkInterceptor(counter).retryBaseMillis(1).build();
    }

    @AfterEach
    void stop() {
        client.close();
        hub.close();
    }

    Path file(String name, byte[] content) throws IOException {
        Path p = tmp.resolve("src").resolve(name);
        Files.createDirectories(p.getParent());
        return Files.write(p, content);
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void committedFilesAreListedDownloadedAndLandInTheHubCacheLayout() throws IOException {
        assertEquals("team/cache", client.createRepo("team/cache", true));
        byte[] small = "{\"a\": 1}\n".getBytes(StandardCharsets.UTF_8);
        byte[] large = random(5000, 1);
        CommitInfo c = client.commit("team/cache", List.of(
                CommitOperation.add("reg/entry.json", file("entry.json", small)),
                CommitOperation.add("neuronxcc-2/MODULE_1/model.neff", file("model.neff", large)),
                CommitOperation.add("README.md", file("README.md", "hi".getBytes(StandardCharsets.UTF_8)))), "first", null);

        RepoInfo info = client.repoInfo("team/cache", null);
        assertEquals(c.oid(), info.sha());
        assertTrue(info.isPrivate());
        assertEquals(List.of("README.md", "neuronxcc-2/MODULE_1/model.neff", "reg/entry.json"), info.files().stream().sorted().toList());

        // Page size 2: five entries come back over three pages, followed through Link: rel="next".
        List<TreeEntry> all = client.listTree("team/cache", "", true);
        assertEquals(List.of("README.md", "neuronxcc-2", "neuronxcc-2/MODULE_1", "neuronxcc-2/MODULE_1/model.neff", "reg",
                "reg/entry.json"), all.stream().map(TreeEntry::path).toList());
        TreeEntry neff = all.stream().filter(e -> e.path().endsWith(".neff")).findFirst().orElseThrow();
        assertTrue(neff.isLfs());
        assertEquals(5000, neff.size());
        assertEquals(List.of("neuronxcc-2/MODULE_1"), client.listTree("team/cache", "neuronxcc-2", false).stream()
                .map(TreeEntry::path).toList());

        Path got = client.download("team/cache", "neuronxcc-2/MODULE_1/model.neff");
        assertArrayEquals(large, Files.readAllBytes(got));
        Path repoDir = tmp.resolve("hf/hub/models--team--cache");
        assertEquals(repoDir.resolve("snapshots").resolve(c.oid()).resolve("neuronxcc-2/MODULE_1/model.neff"), got);
        assertTrue(Files.isSymbolicLink(got));
        assertEquals(neff.lfsSha256(), got.toRealPath().getFileName().toString());
        assertEquals(c.oid(), Files.readString(repoDir.resolve("refs/main")));
        assertArrayEquals(small, Files.readAllBytes(client.download("team/cache", "reg/entry.json")));

        // A blob already cached costs one HEAD and nothing more.
        int before = counter.count();
        client.download("team/cache", "neuronxcc-2/MODULE_1/model.neff");
        assertEquals(List.of("HEAD"), counter.requests().subList(before, counter.count()).stream().map(r -> r.split(" ")[0]).toList());

        assertTrue(client.exists("team/cache", "reg/entry.json"));
        assertFalse(client.exists("team/cache", "reg/missing.json"));
    }

    @Test
    void deletesReplaceAndAStaleParentIsAConflictWhileNoParentRetries() throws IOException {
        client.createRepo("team/repo", false);
        String first = client.commit("team/repo", List.of(CommitOperation.add("a.txt", file("a", new byte[] {1}))), "one", null).oid();
        String second = client.commit("team/repo", List.of(CommitOperation.add("b.txt", file("b", new byte[] {2})),
                CommitOperation.delete("a.txt")), "two", first).oid();
        assertNotEquals(first, second);
        assertEquals(List.of("b.txt"), client.repoInfo("team/repo", null).files());

        HubException stale = assertThrows(HubException.class, () -> client.commit("team/repo",
                List.of(CommitOperation.add("c.txt", file("c", new byte[] {3}))), "three", first));
        assertEquals(HubException.Kind.CONFLICT, stale.kind());
        assertEquals(412, stale.status());

        // No parent given: the client reads the head itself, so the commit lands.
        client.commit("team/repo", List.of(CommitOperation.add("c.txt", file("c", new byte[] {3}))), "three", null);
        assertEquals(List.of("b.txt", "c.txt"), client.repoInfo("team/repo", null).files());
        assertEquals(HubException.Kind.CONFLICT, assertThrows(HubException.class,
                () -> client.createRepo("team/repo", true)).kind());
    }

    @Test
    void missingRepoRevisionAndFileAreTypedErrorsThatSayWhatToDo() {
        client.createRepo("team/repo", false);
        HubException repo = assertThrows(HubException.class, () -> client.repoInfo("team/nope", null));
        assertEquals(HubException.Kind.REPO_NOT_FOUND, repo.kind());
        assertTrue(repo.getMessage().contains("repository 'team/nope' was not found"), repo.getMessage());
        HubException rev = assertThrows(HubException.class, () -> client.listTree("team/repo", "v9", "", true));
        assertEquals(HubException.Kind.REVISION_NOT_FOUND, rev.kind());
        HubException entry = assertThrows(HubException.class, () -> client.download("team/repo", "x/y.json"));
        assertEquals(HubException.Kind.ENTRY_NOT_FOUND, entry.kind());
        assertTrue(entry.getMessage().contains("'x/y.json' does not exist in 'team/repo'"), entry.getMessage());
        assertEquals(HubException.Kind.ENTRY_NOT_FOUND,
                assertThrows(HubException.class, () -> client.listTree("team/repo", "no/such/dir", false)).kind());
        TokenCanary.assertAbsent(repo.getMessage() + rev.getMessage() + entry.getMessage());
    }

    @Test
    void aWrongOrMissingTokenIsRefusedAndNeverEchoed() {
        client.createRepo("team/repo", false);
        try (HubClient wrong = HubClient.builder(HubConfig.of(hub.url(), HubToken.of("hf_wrong_token_000"), tmp.resolve("hf2")))
                .retryBaseMillis(1).build();
             HubClient none = HubClient.builder(HubConfig.of(hub.url(), null, tmp.resolve("hf3"))).retryBaseMillis(1).build()) {
            HubException w = assertThrows(HubException.class, () -> wrong.repoInfo("team/repo", null));
            assertEquals(HubException.Kind.UNAUTHORIZED, w.kind());
            assertTrue(w.getMessage().contains("rejected the token; set HF_TOKEN"), w.getMessage());
            assertFalse(w.getMessage().contains("hf_wrong_token_000"));
            HubException n = assertThrows(HubException.class, () -> none.repoInfo("team/repo", null));
            assertTrue(n.getMessage().contains("needs a token; set HF_TOKEN or write one to"), n.getMessage());
        }
        TokenCanary.assertAbsent(client.toString() + HubConfig.of(hub.url(), TOKEN, tmp).toString() + hub);
    }
}
