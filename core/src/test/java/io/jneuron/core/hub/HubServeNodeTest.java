package io.jneuron.core.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jneuron.core.cli.Main;
import io.jneuron.core.hub.internal.Hashing;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code jneuron hub serve} against the official JavaScript client {@code @huggingface/hub} (src/test/js,
 * installed by {@code npm ci}): node lists, downloads and uploads; our client reads what node wrote and
 * node reads what we wrote; both see the same bytes, and the token shows up in no output.
 */
class HubServeNodeTest {
    static final Path JS = Path.of("src/test/js").toAbsolutePath();

    @TempDir
    Path tmp;

    @Test
    void theOfficialJavaScriptClientAndOursSeeTheSameBytes() throws Exception {
        assumeNodeReady();
        Path served = Files.createDirectories(tmp.resolve("served"));
        Path tokenFile = Files.writeString(tmp.resolve("token"), TokenCanary.VALUE + "\n");
        StringWriter cliOut = new StringWriter();
        StringWriter cliErr = new StringWriter();
        int[] exit = {-1};
        Thread serve = new Thread(() -> exit[0] = Main.commandLine(new PrintWriter(cliOut, true), new PrintWriter(cliErr, true))
                .execute("hub", "serve", served.toString(), "--port", "0", "--token-file", tokenFile.toString(),
                        "--lfs-threshold", "1024"), "hub-serve-under-test");
        serve.start();
        String url = awaitUrl(cliOut, cliErr);
        try (HubClient ours = HubClient.builder(HubConfig.of(url, HubToken.of(TokenCanary.VALUE), tmp.resolve("hf")))
                .retryBaseMillis(1).build()) {
            byte[] weights = random(3000, 11);
            ours.createRepo("team/tiny", true);
            ours.commit("team/tiny", List.of(
                    CommitOperation.add("config.json", Files.writeString(tmp.resolve("config.json"), "{\"model_type\": \"llama\"}\n")),
                    CommitOperation.add("model.bin", Files.write(tmp.resolve("model.bin"), weights))), "from java", null);

            Path small = Files.writeString(tmp.resolve("small.txt"), "written by node\n");
            Path big = Files.write(tmp.resolve("big.bin"), random(5000, 12));
            String uploads = new ObjectMapper().writeValueAsString(List.of(
                    Map.of("path", "from-node/small.txt", "file", small.toString()),
                    Map.of("path", "from-node/big.bin", "file", big.toString())));
            NodeRun node = runNode(Map.of("HF_ENDPOINT", url, "HF_TOKEN", TokenCanary.VALUE, "HUB_REPO", "team/tiny",
                    "HUB_DOWNLOAD", "model.bin", "HUB_UPLOADS", uploads));
            assertEquals(0, node.exit, "node failed: " + node.stderr);
            JsonNode out = new ObjectMapper().readTree(node.stdout);

            // Node's listing matches ours, LFS ids included.
            List<String> nodePaths = new ArrayList<>();
            out.path("files").forEach(f -> nodePaths.add(f.path("path").asText()));
            assertEquals(List.of("config.json", "model.bin"), nodePaths);
            TreeEntry bin = ours.listTree("team/tiny", "", false).stream().filter(e -> e.path().equals("model.bin")).findFirst().orElseThrow();
            assertEquals(bin.lfsSha256(), out.path("files").get(1).path("lfs").asText());

            // Node's download is byte-identical to ours.
            Path mine = ours.download("team/tiny", "model.bin");
            assertEquals(Hashing.sha256(mine), out.path("downloaded").path("sha256").asText());
            assertEquals(3000, out.path("downloaded").path("size").asInt());

            // What node uploaded (inline and through LFS) comes back to us byte for byte.
            assertEquals(ours.repoInfo("team/tiny", null).sha(), out.path("commit").asText());
            assertArrayEquals(Files.readAllBytes(small), Files.readAllBytes(ours.download("team/tiny", "from-node/small.txt")));
            assertArrayEquals(Files.readAllBytes(big), Files.readAllBytes(ours.download("team/tiny", "from-node/big.bin")));
            assertTrue(ours.listTree("team/tiny", "from-node", false).stream().filter(e -> e.path().endsWith("big.bin"))
                    .allMatch(TreeEntry::isLfs));
            TokenCanary.assertAbsent(node.stdout + node.stderr);
        } finally {
            serve.interrupt();
            serve.join(10_000);
        }
        assertEquals(0, exit[0], cliErr.toString());
        assertTrue(cliOut.toString().contains("(token required)"), cliOut.toString());
        TokenCanary.assertAbsent(cliOut + cliErr.toString());
    }

    static void assumeNodeReady() {
        boolean node;
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            node = p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            node = false;
        }
        Assumptions.assumeTrue(node, "node is not installed: skipping the @huggingface/hub interop test");
        Assumptions.assumeTrue(Files.isDirectory(JS.resolve("node_modules/@huggingface/hub")),
                "@huggingface/hub is not installed: run `npm ci --prefix core/src/test/js` first");
    }

    static String awaitUrl(StringWriter out, StringWriter err) throws InterruptedException {
        Pattern p = Pattern.compile(" at (http://\\S+)");
        for (int i = 0; i < 200; i++) {
            Matcher m = p.matcher(out.toString());
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("hub serve printed no URL; stderr: " + err);
    }

    record NodeRun(int exit, String stdout, String stderr) {
    }

    NodeRun runNode(Map<String, String> env) throws IOException, InterruptedException {
        Path stdout = tmp.resolve("node.out");
        Path stderr = tmp.resolve("node.err");
        ProcessBuilder pb = new ProcessBuilder("node", "interop.mjs").directory(JS.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("HF_") || k.startsWith("HUGGING"));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("node did not finish in 90 s: " + Files.readString(stderr));
        }
        return new NodeRun(p.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8), Files.readString(stderr, StandardCharsets.UTF_8));
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
