package io.jneuron.core.hub;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real {@code hub serve} process against hostile clients: no verb follows a link out of the served folder
 * (deletes included), and stalled clients neither freeze the server nor keep their connections for ever.
 */
class ServeProcessSafetyTest {
    static final String HEADER = "{\"key\":\"header\",\"value\":{\"summary\":\"x\"}}\n";

    @TempDir
    Path tmp;
    Path outside;
    Path served;
    ServeProcess serve;

    @BeforeEach
    void layout() throws IOException {
        served = Files.createDirectories(tmp.resolve("served"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("victim.txt"), "keep me");
        Files.writeString(Files.createDirectories(outside.resolve("sub")).resolve("inner.txt"), "keep me too");
        Path repo = Files.createDirectories(served.resolve("team/repo"));
        Files.writeString(repo.resolve("ok.txt"), "fine");
        Files.createSymbolicLink(repo.resolve("dirlink"), outside);
        Files.createSymbolicLink(served.resolve("linkorg"), outside);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (serve != null) {
            serve.close();
        }
    }

    String commit(String repo, String line) throws IOException {
        return serve.raw("POST", "/api/models/" + repo + "/commit/main", HEADER + line + "\n");
    }

    @Test
    void noVerbFollowsALinkOutOfTheServedFolder() throws IOException {
        serve = ServeProcess.start(served, "128m", tmp.resolve("serve.err"));
        String deleteFile = commit("team/repo", "{\"key\":\"deletedFile\",\"value\":{\"path\":\"dirlink/victim.txt\"}}");
        assertTrue(deleteFile.startsWith("HTTP/1.1 400"), deleteFile);
        String deleteFolder = commit("team/repo", "{\"key\":\"deletedFolder\",\"value\":{\"path\":\"dirlink/sub\"}}");
        assertTrue(deleteFolder.startsWith("HTTP/1.1 400"), deleteFolder);
        String write = commit("team/repo", "{\"key\":\"file\",\"value\":{\"path\":\"dirlink/new/x.txt\",\"content\":\"aGk=\"}}");
        assertTrue(write.startsWith("HTTP/1.1 400"), write);
        String tree = serve.raw("GET", "/api/models/team/repo/tree/main/dirlink/sub", null);
        assertTrue(tree.startsWith("HTTP/1.1 404") && !tree.contains("inner.txt"), tree);
        String viaOrg = serve.raw("GET", "/linkorg/x/resolve/main/victim.txt", null);
        assertTrue(viaOrg.startsWith("HTTP/1.1 4") && !viaOrg.contains("keep me"), viaOrg);
        String create = serve.raw("POST", "/api/repos/create", "{\"organization\":\"linkorg\",\"name\":\"new\"}");
        assertTrue(create.startsWith("HTTP/1.1 404"), create);

        assertEquals("keep me", Files.readString(outside.resolve("victim.txt")));
        assertEquals("keep me too", Files.readString(outside.resolve("sub/inner.txt")));
        assertFalse(Files.exists(outside.resolve("new")), "no folder made through the link");
        assertFalse(Files.exists(outside.resolve("new")) || Files.exists(outside.resolve("x")));
        // Removing the link itself is a repo change, and leaves its target alone.
        String unlink = commit("team/repo", "{\"key\":\"deletedFolder\",\"value\":{\"path\":\"dirlink\"}}");
        assertTrue(unlink.startsWith("HTTP/1.1 200"), unlink);
        assertFalse(Files.exists(served.resolve("team/repo/dirlink"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertEquals("keep me too", Files.readString(outside.resolve("sub/inner.txt")));
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void stalledClientsNeitherFreezeTheServerNorKeepTheirConnections() throws Exception {
        serve = ServeProcess.start(served, "128m", tmp.resolve("serve.err"), "--request-timeout", "3");
        List<Socket> stalled = new ArrayList<>();
        try {
            // Half a request each: the JDK server reads headers on a worker thread, which such a client holds.
            for (int i = 0; i < 40; i++) {
                Socket s = new Socket(serve.uri.getHost(), serve.uri.getPort());
                OutputStream out = s.getOutputStream();
                out.write("GET /team/repo/resolve/main/ok.txt HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                stalled.add(s);
            }
            Thread.sleep(300);
            long t0 = System.nanoTime();
            String answer = serve.raw("GET", "/team/repo/resolve/main/ok.txt", null);
            assertTrue(answer.startsWith("HTTP/1.1 200") && answer.endsWith("fine"), answer);
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2), "answered while 40 clients stall");
            // The request timeout closes every stalled connection.
            for (Socket s : stalled) {
                s.setSoTimeout(20_000);
                try (InputStream in = s.getInputStream()) {
                    assertEquals(-1, in.read(), "the server closed the stalled connection without a reply");
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("a stalled connection was still open after 20 s", e);
                } catch (IOException reset) {
                    // closed by the server: a reset is as good as an orderly close
                }
            }
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
    }

    /**
     * An oversized body is refused while it streams in, not buffered (the server's heap is 64 MB, the body 200 MB):
     * the server refuses it (413) and closes the connection long before the end, and goes on serving. The client may
     * see the 413, an orderly close or a reset, depending on what reaches it first; either way it could not send the rest.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void oversizedRequestBodiesAreRefusedAndTheServerStaysUp() throws Exception {
        serve = ServeProcess.start(served, "64m", tmp.resolve("serve.err"));
        long size = 200L << 20;
        java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
        try (Socket s = new Socket(serve.uri.getHost(), serve.uri.getPort())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            Thread writer = new Thread(() -> {
                try {
                    out.write(("POST /api/repos/create HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + size + "\r\n\r\n{\"name\": \"").getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = "a".repeat(1 << 16).getBytes(StandardCharsets.US_ASCII);
                    while (sent.get() < size - 16) {
                        out.write(chunk);
                        sent.addAndGet(chunk.length);
                    }
                } catch (IOException closedByTheServer) {
                    // expected: the server refused the body and closed before taking it all
                }
            });
            writer.start();
            String status;
            try {
                status = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            } catch (IOException reset) {
                status = "reset";
            }
            writer.join(30_000);
            // "" is an orderly close without a reply: the JDK server drops the connection once the handler refused.
            assertTrue(status.equals("HTTP/1.1 413") || status.equals("reset") || status.isEmpty(), status);
            assertTrue(sent.get() < size / 2, "the server stopped reading after " + sent.get() + " bytes");
        }
        String answer = serve.raw("GET", "/team/repo/resolve/main/ok.txt", null);
        assertTrue(answer.startsWith("HTTP/1.1 200") && answer.endsWith("fine"), answer);
        assertTrue(serve.process.isAlive());
        String log = Files.readString(tmp.resolve("serve.err"));
        assertTrue(!log.contains("OutOfMemoryError"), log);
    }
}
