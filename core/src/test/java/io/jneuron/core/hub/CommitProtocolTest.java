package io.jneuron.core.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jneuron.core.hub.internal.Hashing;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The commit protocol against scripted answers: multipart LFS parts, verify, NDJSON lines, and 409/412 retries. */
class CommitProtocolTest {
    static final String HEAD1 = "1".repeat(40);
    static final String HEAD2 = "2".repeat(40);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    MockWebServer hub;
    MockWebServer storage;
    HubClient client;

    @BeforeEach
    void start() throws IOException {
        hub = new MockWebServer();
        storage = new MockWebServer();
        hub.start(0);
        storage.start(0);
        client = HubClient.builder(HubConfig.of(hub.url("/").toString(), HubToken.of(TokenCanary.VALUE), tmp.resolve("hf")))
                .retryBaseMillis(1).maxAttempts(3).build();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        hub.shutdown();
        storage.shutdown();
    }

    static MockResponse info(String sha) {
        return new MockResponse().setBody("{\"id\":\"org/c\",\"sha\":\"" + sha + "\",\"siblings\":[]}");
    }

    @Test
    void largeFilesGoThroughMultipartLfsAndAConflictRereadsTheHead() throws Exception {
        byte[] big = new byte[2500];
        new Random(3).nextBytes(big);
        Path bigFile = Files.write(tmp.resolve("big"), big);
        Path small = Files.writeString(tmp.resolve("small"), "{}");
        String oid = Hashing.sha256(bigFile);

        hub.enqueue(new MockResponse().setBody("{\"files\":[{\"path\":\"m/model.neff\",\"uploadMode\":\"lfs\"},"
                + "{\"path\":\"r/e.json\",\"uploadMode\":\"regular\"}]}"));
        hub.enqueue(new MockResponse().setBody("{\"transfer\":\"multipart\",\"objects\":[{\"oid\":\"" + oid + "\",\"size\":2500,"
                + "\"actions\":{\"upload\":{\"href\":\"" + hub.url("/lfs/complete") + "\",\"header\":{\"chunk_size\":\"1000\","
                + "\"1\":\"" + storage.url("/p1") + "\",\"2\":\"" + storage.url("/p2") + "\",\"3\":\"" + storage.url("/p3") + "\"}},"
                + "\"verify\":{\"href\":\"" + hub.url("/lfs/verify") + "\",\"header\":{}}}}]}"));
        for (int i = 1; i <= 3; i++) {
            storage.enqueue(new MockResponse().addHeader("ETag", "\"etag" + i + "\""));
        }
        hub.enqueue(new MockResponse().setBody("{}")); // complete
        hub.enqueue(new MockResponse().setBody("{}")); // verify
        hub.enqueue(info(HEAD1));
        hub.enqueue(new MockResponse().setResponseCode(412).setBody("{\"error\":\"A commit has happened since.\"}"));
        hub.enqueue(info(HEAD2));
        hub.enqueue(new MockResponse().setResponseCode(429));
        hub.enqueue(new MockResponse().setBody("{\"commitOid\":\"" + "3".repeat(40) + "\",\"commitUrl\":\"u\"}"));

        CommitInfo done = client.commit("org/c", List.of(CommitOperation.add("m/model.neff", bigFile),
                CommitOperation.add("r/e.json", small), CommitOperation.delete("old.json")), "sync", null);
        assertEquals("3".repeat(40), done.oid());

        JsonNode pre = JSON.readTree(hub.takeRequest().getBody().readUtf8());
        assertEquals(2500, pre.path("files").get(0).path("size").asInt());
        RecordedRequest batch = hub.takeRequest();
        assertEquals("/org/c.git/info/lfs/objects/batch", batch.getPath());
        List<byte[]> parts = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            RecordedRequest part = storage.takeRequest();
            assertNull(part.getHeader("Authorization"), "storage URLs are presigned: no token");
            parts.add(part.getBody().readByteArray());
        }
        assertArrayEquals(big, concat(parts));
        JsonNode complete = JSON.readTree(hub.takeRequest().getBody().readUtf8());
        assertEquals("\"etag3\"", complete.path("parts").get(2).path("etag").asText());
        assertEquals("/lfs/verify", hub.takeRequest().getPath());
        assertEquals("/api/models/org/c", hub.takeRequest().getPath());
        String[] first = hub.takeRequest().getBody().readUtf8().split("\n");
        assertEquals(HEAD1, JSON.readTree(first[0]).path("value").path("parentCommit").asText());
        assertEquals("/api/models/org/c", hub.takeRequest().getPath());
        hub.takeRequest();
        RecordedRequest last = hub.takeRequest();
        String[] lines = last.getBody().readUtf8().split("\n");
        assertEquals("application/x-ndjson", last.getHeader("Content-Type"));
        assertEquals(HEAD2, JSON.readTree(lines[0]).path("value").path("parentCommit").asText());
        assertEquals("lfsFile", JSON.readTree(lines[1]).path("key").asText());
        assertEquals(oid, JSON.readTree(lines[1]).path("value").path("oid").asText());
        assertEquals("e30=", JSON.readTree(lines[2]).path("value").path("content").asText());
        assertEquals("deletedFile", JSON.readTree(lines[3]).path("key").asText());
    }

    @Test
    void anExplicitParentIsNeverSilentlyReplaced() throws IOException {
        Path small = Files.writeString(tmp.resolve("small"), "{}");
        hub.enqueue(new MockResponse().setBody("{\"files\":[{\"path\":\"e.json\",\"uploadMode\":\"regular\"}]}"));
        hub.enqueue(new MockResponse().setResponseCode(409).setBody("{\"error\":\"conflict\"}"));
        HubException e = assertThrows(HubException.class,
                () -> client.commit("org/c", List.of(CommitOperation.add("e.json", small)), "m", HEAD1));
        assertEquals(HubException.Kind.CONFLICT, e.kind());
        assertEquals(2, hub.getRequestCount());
    }

    static byte[] concat(List<byte[]> parts) {
        byte[] out = new byte[parts.stream().mapToInt(p -> p.length).sum()];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return Arrays.copyOf(out, at);
    }
}
