package io.jneuron.core.hub;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hostile requests to {@code hub serve}: escapes by '..', encoded slashes and links out of DIR; bad uploads; no token. */
class ServerSafetyTest {
    @TempDir
    Path tmp;
    LocalHub hub;

    @BeforeEach
    void start() throws IOException {
        Path served = Files.createDirectories(tmp.resolve("served"));
        Files.writeString(tmp.resolve("secret.txt"), "top secret");
        Path repo = Files.createDirectories(served.resolve("team/repo"));
        Files.writeString(repo.resolve("ok.txt"), "fine");
        Files.createSymbolicLink(repo.resolve("leak.txt"), tmp.resolve("secret.txt"));
        Files.createSymbolicLink(repo.resolve("dirlink"), tmp);
        hub = LocalHub.start(served, "127.0.0.1", 0, null, 1024, 1000);
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    /** A raw request line, so no client library tidies the path first. */
    String raw(String method, String path, String body) throws IOException {
        URI u = URI.create(hub.url());
        try (Socket s = new Socket(u.getHost(), u.getPort())) {
            byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = s.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: " + u.getAuthority() + "\r\nContent-Length: " + b.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.flush();
            try (InputStream in = s.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    @Test
    void pathsFromTheWireNeverLeaveTheServedFolder() throws IOException {
        assertTrue(raw("GET", "/team/repo/resolve/main/ok.txt", null).endsWith("fine"));
        for (String path : new String[] {"/team/repo/resolve/main/../../../secret.txt", "/team/repo/resolve/main/..%2F..%2F..%2Fsecret.txt",
                "/team/repo/resolve/main/leak.txt", "/team/repo/resolve/main/dirlink/secret.txt", "/team/..%2F..%2Fx/resolve/main/secret.txt",
                "/api/models/team/repo/tree/main/..%2F..", "/api/models/team/repo/tree/main/dirlink"}) {
            String answer = raw("GET", path, null);
            assertFalse(answer.contains("top secret"), path + " -> " + answer);
            assertTrue(answer.startsWith("HTTP/1.1 4"), path + " -> " + answer);
        }
        String tree = raw("GET", "/api/models/team/repo/tree/main?recursive=true", null);
        assertTrue(tree.contains("ok.txt") && !tree.contains("leak.txt") && !tree.contains("dirlink/"), tree);
    }

    @Test
    void commitsCannotWriteOutsideTheRepoAndUploadsMustMatchTheirHash() throws IOException {
        String header = "{\"key\":\"header\",\"value\":{\"summary\":\"x\"}}\n";
        for (String p : new String[] {"../escape.txt", "/abs.txt", "dirlink/escape.txt", "a/../../escape.txt"}) {
            String answer = raw("POST", "/api/models/team/repo/commit/main",
                    header + "{\"key\":\"file\",\"value\":{\"path\":\"" + p + "\",\"encoding\":\"base64\",\"content\":\"aGk=\"}}\n");
            assertTrue(answer.startsWith("HTTP/1.1 400"), p + " -> " + answer);
        }
        assertFalse(Files.exists(tmp.resolve("escape.txt")));
        assertFalse(Files.exists(tmp.resolve("served/team/escape.txt")));
        String lfs = raw("POST", "/api/models/team/repo/commit/main", header
                + "{\"key\":\"lfsFile\",\"value\":{\"path\":\"w.bin\",\"algo\":\"sha256\",\"oid\":\"" + "a".repeat(64) + "\",\"size\":3}}\n");
        assertTrue(lfs.startsWith("HTTP/1.1 422"), lfs);
        String unsigned = raw("PUT", "/api/jneuron-lfs/" + "a".repeat(64) + "?size=3&sig=00", "abc");
        assertTrue(unsigned.startsWith("HTTP/1.1 403"), unsigned);
        assertEquals(1, countFiles(tmp.resolve("served/team/repo")));
    }

    @Test
    void aTokenProtectedServerRefusesRequestsWithoutIt() throws IOException {
        hub.close();
        hub = LocalHub.start(tmp.resolve("served"), "127.0.0.1", 0, HubToken.of(TokenCanary.VALUE), 1024, 1000);
        String answer = raw("GET", "/team/repo/resolve/main/ok.txt", null);
        assertTrue(answer.startsWith("HTTP/1.1 401"), answer);
        TokenCanary.assertAbsent(answer);
        assertTrue(hub.url().startsWith("http://127.0.0.1:"), "loopback by default");
    }

    static long countFiles(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> !Files.isSymbolicLink(p)).count();
        }
    }
}
