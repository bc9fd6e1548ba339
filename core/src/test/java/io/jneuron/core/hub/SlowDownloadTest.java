package io.jneuron.core.hub;

import io.jneuron.core.cli.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real {@code hub serve} process behind a proxy that trickles or stops its answers: a download fails at its
 * deadline or after a stall, naming the file and the server, leaves nothing in the Hub cache, and shows progress
 * (listener events; progress lines from the CLI). Limits are a second or two, so each case takes seconds.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SlowDownloadTest {
    static final byte[] CONTENT = new byte[1 << 20];

    static {
        new Random(3).nextBytes(CONTENT);
    }

    @TempDir
    static Path served;
    static ServeProcess serve;
    @TempDir
    Path tmp;

    @BeforeAll
    static void serve() throws IOException {
        Path repo = Files.createDirectories(served.resolve("team/model"));
        Files.write(repo.resolve("big.bin"), CONTENT);
        Files.writeString(repo.resolve("config.json"), "{\"model_type\": \"llama\"}");
        serve = ServeProcess.start(served, "128m", served.resolve("serve.err"));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        serve.close();
    }

    TrickleProxy proxy(long bytesPerSecond, long stallAfter) throws IOException {
        return new TrickleProxy(serve.uri.getHost(), serve.uri.getPort(), bytesPerSecond, stallAfter);
    }

    HubClient client(String url, Duration stall, Duration deadline) {
        return HubClient.builder(HubConfig.of(url, null, tmp.resolve("hf")).withDownloads(new DownloadLimits(stall, deadline)))
                .retryBaseMillis(1).maxAttempts(3).build();
    }

    /** Every file under the repo's Hub cache folder (blobs, .incomplete files, snapshot links). */
    List<Path> cached() throws IOException {
        Path dir = tmp.resolve("hf/hub/models--team--model");
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !Files.isDirectory(p)).toList();
        }
    }

    @Test
    void aTricklingServerFailsAtTheDeadlineNamingTheFileAndTheServerAndLeavesNothing() throws Exception {
        try (TrickleProxy slow = proxy(32 * 1024, Long.MAX_VALUE); HubClient hub = client(slow.url(), Duration.ofSeconds(5),
                Duration.ofSeconds(2))) {
            List<Double> fractions = new CopyOnWriteArrayList<>();
            hub.onProgress((stage, f) -> {
                assertEquals("download team/model/big.bin (1.0 MB)", stage);
                fractions.add(f);
            });
            long t0 = System.nanoTime();
            HubException e = assertThrows(HubException.class, () -> hub.download("team/model", "big.bin"));
            double seconds = (System.nanoTime() - t0) / 1e9;
            // 1 MB at 32 KB/s needs 32 s; the 2 s deadline ends it (the bound leaves room for a loaded machine).
            assertTrue(seconds < 20, "failed after " + seconds + " s");
            assertEquals(HubException.Kind.NETWORK, e.kind());
            String m = e.getMessage();
            assertTrue(m.startsWith("downloading 'big.bin' from 'team/model' failed: not complete after 2 s "
                    + "(NEURON_KERNEL_DOWNLOAD_DEADLINE): " + slow.url() + " sent "), m);
            assertTrue(m.endsWith(" of 1.0 MB; nothing was kept in the Hub cache; retry later, or raise "
                    + "NEURON_KERNEL_DOWNLOAD_DEADLINE"), m);
            assertEquals(List.of(), cached(), "nothing partial in the Hub cache");
            assertTrue(fractions.stream().anyMatch(f -> f > 0 && f < 1), "progress while it trickled: " + fractions);
        }
    }

    @Test
    void aServerThatGoesSilentFailsAfterTheStallTimeoutAndLeavesNothing() throws Exception {
        try (TrickleProxy silent = proxy(Long.MAX_VALUE, 300_000); HubClient hub = client(silent.url(),
                Duration.ofSeconds(1), null)) {
            long t0 = System.nanoTime();
            HubException e = assertThrows(HubException.class, () -> hub.download("team/model", "big.bin"));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(seconds < 20, "failed after " + seconds + " s"); // without the stall limit: never

            String m = e.getMessage();
            assertTrue(m.startsWith("downloading 'big.bin' from 'team/model' failed: " + silent.url()
                    + " sent nothing for 1 s (HF_HUB_DOWNLOAD_TIMEOUT) after "), m);
            assertTrue(m.endsWith(" KB of 1.0 MB; nothing was kept in the Hub cache; retry, or raise "
                    + "HF_HUB_DOWNLOAD_TIMEOUT for a server that pauses this long"), m);
            assertEquals(List.of(), cached(), "nothing partial in the Hub cache");
        }
        // The same file from the server directly lands whole: the failure left nothing that breaks a retry.
        try (HubClient hub = client(serve.url, Duration.ofSeconds(5), null)) {
            assertArrayEquals(CONTENT, Files.readAllBytes(hub.download("team/model", "big.bin")));
        }
    }

    /** The wiring the magics' progress bar and the CLI share: a Context's progress sees its resolver's downloads. */
    @Test
    void aContextsProgressSeesTheDownloadsOfItsResolverAndClients() {
        List<String> stages = new CopyOnWriteArrayList<>();
        io.jneuron.core.service.Context ctx = io.jneuron.core.service.Context.of(Map.of("HF_ENDPOINT", serve.url,
                "HF_HOME", tmp.resolve("hf-ctx").toString())).withProgress((stage, f) -> stages.add(stage + " " + f));
        ctx.resolver().resolve("team/model", io.jneuron.core.model.ModelResolver.Need.CONFIG);
        assertTrue(stages.contains("download team/model/config.json (23 B) 1.0"), stages.toString());
        try (HubClient hub = ctx.hubClient()) {
            hub.download("team/model", "big.bin");
        }
        assertTrue(stages.contains("download team/model/big.bin (1.0 MB) 1.0"), stages.toString());
    }

    record Run(int code, String err) {
    }

    /** {@code jneuron hub download} in its own JVM, so HF_ENDPOINT and the limits come from its environment. */
    Run cli(String endpoint, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(tmp.resolve("cli.out").toFile())
                .redirectError(tmp.resolve("cli.err").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("HF_") || k.startsWith("NEURON_KERNEL_"));
        pb.environment().put("HF_ENDPOINT", endpoint);
        pb.environment().put("HF_HOME", tmp.resolve("hf").toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the CLI finished");
        return new Run(p.exitValue(), Files.readString(tmp.resolve("cli.err"), StandardCharsets.UTF_8));
    }

    @Test
    void theCliShowsASlowDownloadsProgressAndFailsInOneLineAtItsDeadline() throws Exception {
        try (TrickleProxy slow = proxy(400 * 1024, Long.MAX_VALUE)) {
            Run ok = cli(slow.url(), Map.of(), "hub", "download", "team/model");
            assertEquals(0, ok.code(), ok.err());
            List<String> lines = ok.err().lines().filter(l -> l.startsWith("[jneuron] download team/model/big.bin")).toList();
            assertEquals("[jneuron] download team/model/big.bin (1.0 MB)...", lines.get(0), ok.err());
            assertTrue(lines.stream().anyMatch(l -> l.matches("\\[jneuron] download team/model/big\\.bin \\(1\\.0 MB\\) "
                    + "[1-9]\\d?%")), "a line part way through: " + ok.err());
            assertEquals("[jneuron] download team/model/big.bin (1.0 MB) 100%", lines.get(lines.size() - 1), ok.err());
        }
        Files.walk(tmp.resolve("hf")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        try (TrickleProxy slow = proxy(32 * 1024, Long.MAX_VALUE)) {
            Run r = cli(slow.url(), Map.of("NEURON_KERNEL_DOWNLOAD_DEADLINE", "1.5"), "hub", "download", "team/model");
            assertNotEquals(0, r.code());
            List<String> notProgress = r.err().lines().filter(l -> !l.startsWith("[jneuron] ")).toList();
            assertEquals(1, notProgress.size(), r.err());
            assertTrue(notProgress.get(0).startsWith("error: downloading 'big.bin' from 'team/model' failed: not complete "
                    + "after 1.5 s (NEURON_KERNEL_DOWNLOAD_DEADLINE): " + slow.url() + " sent "), r.err());
            assertEquals(List.of(), cached(), "nothing partial in the Hub cache");
        }
    }
}
