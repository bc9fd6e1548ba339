package io.jneuron.core.hub;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The soak of the reliability issue: a real {@code hub serve} process (64 MB heap) takes 200 concurrent clients
 * while 20 slow ones trickle or stall, for {@code -Djneuron.soak.seconds} (default 60) on loopback. Every
 * well-formed request, the trickled ones included, gets its full answer, and the server's memory stays flat.
 */
class HubServeSoakTest {
    static final int CLIENTS = 200;
    static final int SLOW = 20;

    @TempDir
    Path tmp;

    @Test
    void twoHundredClientsAndTwentySlowOnesAreAllAnsweredWithFlatMemory() throws Exception {
        long seconds = Long.getLong("jneuron.soak.seconds", 60);
        Path repo = Files.createDirectories(tmp.resolve("served/team/soak"));
        byte[] small = "small file\n".getBytes(StandardCharsets.UTF_8);
        byte[] model = new byte[256 * 1024];
        new Random(7).nextBytes(model);
        Files.write(repo.resolve("small.txt"), small);
        Files.write(repo.resolve("model.bin"), model);

        Queue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicLong answered = new AtomicLong();
        AtomicLong trickled = new AtomicLong();
        AtomicLong stallsClosed = new AtomicLong();
        List<Long> rss = new ArrayList<>();
        try (ServeProcess serve = ServeProcess.start(tmp.resolve("served"), "64m", tmp.resolve("serve.err"),
                "--request-timeout", "5")) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + SLOW);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
            for (int i = 0; i < CLIENTS; i++) {
                int id = i;
                pool.execute(() -> {
                    while (System.nanoTime() < deadline) {
                        boolean big = (id + answered.get()) % 4 == 0;
                        URI u = URI.create(serve.url + "/team/soak/resolve/main/" + (big ? "model.bin" : "small.txt"));
                        try {
                            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(u).timeout(Duration.ofSeconds(60)).build(),
                                    HttpResponse.BodyHandlers.ofByteArray());
                            if (r.statusCode() != 200 || !Arrays.equals(big ? model : small, r.body())) {
                                failures.add(u + " -> " + r.statusCode() + ", " + r.body().length + " bytes");
                            } else {
                                answered.incrementAndGet();
                            }
                        } catch (IOException | InterruptedException e) {
                            failures.add(u + " -> " + e);
                        }
                    }
                });
            }
            for (int i = 0; i < SLOW; i++) {
                boolean stall = i % 2 == 0;
                pool.execute(() -> {
                    while (System.nanoTime() < deadline) {
                        try {
                            if (stall) {
                                stallUntilClosed(serve);
                                stallsClosed.incrementAndGet();
                            } else {
                                String answer = trickle(serve, "/team/soak/resolve/main/small.txt");
                                if (answer.startsWith("HTTP/1.1 200") && answer.endsWith("small file\n")) {
                                    trickled.incrementAndGet();
                                } else {
                                    failures.add("trickled request -> " + answer);
                                }
                            }
                        } catch (IOException | InterruptedException e) {
                            failures.add((stall ? "stalled" : "trickled") + " client -> " + e);
                        }
                    }
                });
            }
            long every = Math.max(250, seconds * 1000 / 30);
            while (System.nanoTime() < deadline || rss.size() < 6) {
                Thread.sleep(every);
                rss.add(serve.rssBytes());
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(90, TimeUnit.SECONDS), "clients finished");
            String after = serve.raw("GET", "/team/soak/resolve/main/small.txt", null);
            assertTrue(after.startsWith("HTTP/1.1 200"), "the server still answers: " + after);
        }
        assertEquals(List.of(), failures.stream().limit(5).toList(), failures.size() + " failures");
        // After warm-up (the first third), memory stays within a small band: no growth with the request count.
        List<Long> warm = rss.subList(rss.size() / 3, rss.size());
        long first = median(warm.subList(0, warm.size() / 2));
        long last = median(warm.subList(warm.size() / 2, warm.size()));
        System.out.printf("soak %d s: %d answered, %d trickled, %d stalls closed; RSS median %d -> %d MB%n", seconds,
                answered.get(), trickled.get(), stallsClosed.get(), first >> 20, last >> 20);
        assertTrue(answered.get() >= CLIENTS && trickled.get() > 0 && stallsClosed.get() > 0, "every kind of client was served");
        assertTrue(last - first < 48L << 20, "RSS grew from " + (first >> 20) + " to " + (last >> 20) + " MB");
    }

    /** A well-formed request sent a byte every 20 ms (about 2 s in all, within the server's request timeout). */
    static String trickle(ServeProcess serve, String path) throws IOException, InterruptedException {
        try (Socket s = new Socket(serve.uri.getHost(), serve.uri.getPort())) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            for (byte b : ("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII)) {
                out.write(b);
                out.flush();
                Thread.sleep(20);
            }
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Half a request, then silence, until the server's request timeout closes the connection. */
    static void stallUntilClosed(ServeProcess serve) throws IOException {
        try (Socket s = new Socket(serve.uri.getHost(), serve.uri.getPort())) {
            s.setSoTimeout(60_000);
            s.getOutputStream().write("GET /team/soak/resolve/main/small.txt HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            try (InputStream in = s.getInputStream()) {
                if (in.read() != -1) {
                    throw new IOException("the server answered half a request");
                }
            } catch (java.net.SocketException reset) {
                // closed by the server
            }
        }
    }

    static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(s.size() / 2);
    }
}
