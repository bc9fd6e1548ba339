package io.jneuron.core.hub;

import io.jneuron.core.hub.internal.Hashing;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scripted Hub answers: redirects, dropped connections, corrupt and truncated bodies, busy servers, hostile listings. */
class DownloadResilienceTest {
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    static final byte[] CONTENT = new byte[40_000];

    static {
        new Random(7).nextBytes(CONTENT);
    }

    @TempDir
    Path tmp;
    MockWebServer hub;
    MockWebServer cdn;
    HubClient client;

    @BeforeEach
    void start() throws IOException {
        hub = new MockWebServer();
        cdn = new MockWebServer();
        hub.start(0);
        cdn.start(0);
        client = HubClient.builder(HubConfig.of(hub.url("/").toString(), HubToken.of(TokenCanary.VALUE), tmp.resolve("hf")))
                .retryBaseMillis(1).maxAttempts(3).build();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        hub.shutdown();
        cdn.shutdown();
    }

    static MockResponse lfsHead(String sha256, long size) {
        return new MockResponse().addHeader("X-Repo-Commit", COMMIT).addHeader("X-Linked-Etag", "\"" + sha256 + "\"")
                .addHeader("X-Linked-Size", size).addHeader("ETag", "\"" + sha256 + "\"");
    }

    Path repoCache() {
        return tmp.resolve("hf/hub/models--org--m");
    }

    @Test
    void renamesAndCdnRedirectsAreFollowedAndTheTokenStaysWithTheEndpoint() throws Exception {
        hub.enqueue(new MockResponse().setResponseCode(307).addHeader("Location", "/org/m/resolve/main/w.bin"));
        hub.enqueue(lfsHead(Hashing.sha256(Files.write(tmp.resolve("w"), CONTENT)), CONTENT.length).setResponseCode(302)
                .addHeader("Location", cdn.url("/blobs/abc?signature=s3cr3t")));
        cdn.enqueue(new MockResponse().setBody(new Buffer().write(CONTENT)));

        Path got = client.download("org/old", "w.bin");
        assertArrayEquals(CONTENT, Files.readAllBytes(got));
        RecordedRequest first = hub.takeRequest();
        assertEquals("HEAD /org/old/resolve/main/w.bin", first.getMethod() + " " + first.getPath());
        assertEquals("Bearer " + TokenCanary.VALUE, first.getHeader("Authorization"));
        assertEquals("/org/m/resolve/main/w.bin", hub.takeRequest().getPath());
        RecordedRequest toCdn = cdn.takeRequest();
        assertEquals("/blobs/abc?signature=s3cr3t", toCdn.getPath());
        assertNull(toCdn.getHeader("Authorization"), "the token must not follow a redirect to another origin");
    }

    @Test
    void aDroppedConnectionResumesWithARangeRequest() throws Exception {
        String sha = Hashing.sha256(Files.write(tmp.resolve("w"), CONTENT));
        hub.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                if (r.getMethod().equals("HEAD")) {
                    return lfsHead(sha, CONTENT.length);
                }
                String range = r.getHeader("Range");
                if (range == null) {
                    return new MockResponse().setBody(new Buffer().write(CONTENT))
                            .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY);
                }
                int from = Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
                return new MockResponse().setResponseCode(206)
                        .addHeader("Content-Range", "bytes " + from + "-" + (CONTENT.length - 1) + "/" + CONTENT.length)
                        .setBody(new Buffer().write(CONTENT, from, CONTENT.length - from));
            }
        });
        Path got = client.download("org/m", "weights/w.bin");
        assertArrayEquals(CONTENT, Files.readAllBytes(got));
        hub.takeRequest();
        assertNull(hub.takeRequest().getHeader("Range"));
        String resumed = hub.takeRequest().getHeader("Range");
        assertTrue(resumed.matches("bytes=[1-9]\\d*-"), resumed);
        assertEquals(sha, got.toRealPath().getFileName().toString());
        assertFalse(Files.exists(repoCache().resolve("blobs").resolve(sha + ".incomplete")));
    }

    @Test
    void aCorruptDownloadIsDetectedAndNeverLands() throws IOException {
        byte[] other = CONTENT.clone();
        other[123] ^= 1;
        hub.enqueue(lfsHead(Hashing.sha256(Files.write(tmp.resolve("w"), CONTENT)), CONTENT.length));
        hub.enqueue(new MockResponse().setBody(new Buffer().write(other)));
        HubException e = assertThrows(HubException.class, () -> client.download("org/m", "w.bin"));
        assertEquals(HubException.Kind.CORRUPT, e.kind());
        assertTrue(e.getMessage().contains("the download is corrupt"), e.getMessage());
        assertEquals(0, filesUnder(repoCache().resolve("snapshots")));
        assertEquals(0, filesUnder(repoCache().resolve("blobs")));
    }

    @Test
    void aSmallFileIsCheckedAgainstItsGitBlobId() throws IOException {
        byte[] json = "{\"x\": 1}".getBytes();
        hub.enqueue(new MockResponse().addHeader("X-Repo-Commit", COMMIT).addHeader("ETag", "W/\"" + Hashing.gitBlobId(json) + "\"")
                .addHeader("Content-Length", json.length));
        hub.enqueue(new MockResponse().setBody("{\"x\": 2}"));
        assertEquals(HubException.Kind.CORRUPT, assertThrows(HubException.class, () -> client.download("org/m", "c.json")).kind());
        assertEquals(0, filesUnder(repoCache().resolve("snapshots")));
    }

    @Test
    void aTransferThatKeepsBreakingFailsAndLeavesOnlyTheResumableFile() throws IOException {
        String sha = Hashing.sha256(Files.write(tmp.resolve("w"), CONTENT));
        hub.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                if (r.getMethod().equals("HEAD")) {
                    return lfsHead(sha, CONTENT.length);
                }
                String range = r.getHeader("Range");
                int from = range == null ? 0 : Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
                // Every answer breaks off halfway, so three attempts never get the whole file.
                return new MockResponse().setResponseCode(range == null ? 200 : 206)
                        .addHeader("Content-Range", "bytes " + from + "-" + (CONTENT.length - 1) + "/" + CONTENT.length)
                        .setBody(new Buffer().write(CONTENT, from, CONTENT.length - from))
                        .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY);
            }
        });
        HubException e = assertThrows(HubException.class, () -> client.download("org/m", "w.bin"));
        assertEquals(HubException.Kind.NETWORK, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("the partial file is kept and the next try resumes it"), e.getMessage());
        assertFalse(Files.exists(repoCache().resolve("blobs").resolve(sha)));
        long partial = Files.size(repoCache().resolve("blobs").resolve(sha + ".incomplete"));
        assertTrue(partial > 0 && partial < CONTENT.length, "partial " + partial);
        assertEquals(0, filesUnder(repoCache().resolve("snapshots")));
    }

    @Test
    void busyAnswersAreRetriedThenReportedAndGatedReposSayHowToGetIn() throws Exception {
        String info = "{\"id\":\"org/m\",\"sha\":\"" + COMMIT + "\",\"siblings\":[{\"rfilename\":\"a\"}]}";
        hub.enqueue(new MockResponse().setResponseCode(503));
        hub.enqueue(new MockResponse().setResponseCode(429));
        hub.enqueue(new MockResponse().setBody(info));
        assertEquals(COMMIT, client.repoInfo("org/m", null).sha());
        for (int i = 0; i < 3; i++) {
            hub.enqueue(new MockResponse().setResponseCode(500));
        }
        assertEquals(HubException.Kind.UNAVAILABLE, assertThrows(HubException.class, () -> client.repoInfo("org/m", null)).kind());
        hub.enqueue(new MockResponse().setResponseCode(403).addHeader("X-Error-Code", "GatedRepo")
                .addHeader("X-Error-Message", "Access to model org/m is restricted. token " + TokenCanary.VALUE));
        HubException gated = assertThrows(HubException.class, () -> client.download("org/m", "config.json"));
        assertEquals(HubException.Kind.GATED, gated.kind());
        assertTrue(gated.getMessage().contains("is gated; accept its conditions at " + hub.url("/org/m").toString().replace("/org/m", "") + "/org/m"),
                gated.getMessage());
        TokenCanary.assertAbsent(gated.getMessage());
    }

    @Test
    void listingFollowsNextLinksButRefusesOtherHostsEscapesAndBombs() throws Exception {
        hub.enqueue(new MockResponse().addHeader("Link", "<" + hub.url("/api/models/org/m/tree/main?cursor=x") + ">; rel=\"next\"")
                .setBody("[{\"type\":\"file\",\"path\":\"a.json\",\"size\":3,\"oid\":\"1\"}]"));
        hub.enqueue(new MockResponse().setBody("[{\"type\":\"directory\",\"path\":\"d\",\"size\":0,\"oid\":\"2\"}]"));
        assertEquals(2, client.listTree("org/m", "", false).size());

        hub.enqueue(new MockResponse().addHeader("Link", "<" + cdn.url("/steal") + ">; rel=\"next\"").setBody("[]"));
        assertEquals(HubException.Kind.INVALID, assertThrows(HubException.class, () -> client.listTree("org/m", "", false)).kind());
        hub.enqueue(new MockResponse().setBody("[{\"type\":\"file\",\"path\":\"../../etc/passwd\",\"size\":1}]"));
        assertEquals(HubException.Kind.INVALID, assertThrows(HubException.class, () -> client.listTree("org/m", "", false)).kind());
        hub.enqueue(new MockResponse().setBody("[".repeat(5000) + "]".repeat(5000)));
        assertEquals(HubException.Kind.INVALID, assertThrows(HubException.class, () -> client.listTree("org/m", "", false)).kind());
        hub.enqueue(new MockResponse().setBody("[" + "{\"path\":\"x\"},".repeat(1_500_000) + "{}]"));
        HubException big = assertThrows(HubException.class, () -> client.listTree("org/m", "", false));
        assertTrue(big.getMessage().contains("larger than"), big.getMessage());
        assertEquals(0, cdn.getRequestCount());

        HubException escape = assertThrows(HubException.class, () -> client.download("org/m", "../x"));
        assertEquals(HubException.Kind.INVALID, escape.kind());
        hub.enqueue(new MockResponse().addHeader("X-Repo-Commit", "../../../x").addHeader("ETag", "\"" + "a".repeat(40) + "\"")
                .addHeader("Content-Length", 1));
        assertEquals(HubException.Kind.INVALID, assertThrows(HubException.class, () -> client.download("org/m", "a")).kind());
        assertTrue(hub.takeRequest(1, TimeUnit.SECONDS) != null);
    }

    static long filesUnder(Path dir, String... except) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !Files.isDirectory(p))
                    .filter(p -> Stream.of(except).noneMatch(x -> p.toString().endsWith(x))).count();
        }
    }
}
