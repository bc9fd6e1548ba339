package io.jneuron.cpu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jneuron.core.hub.HubToken;
import io.jneuron.core.hub.LocalHub;
import io.jneuron.core.model.Architecture;
import io.jneuron.core.testing.TinyModelSpec;
import io.jneuron.core.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An exported model shared through the Hub, each step a real CLI process against a Hub server: export with
 * {@code --push_to_hub}, {@code hub upload}, then {@code generate ORG/NAME} in a fresh {@code HF_HOME} gives the
 * ids the exported folder gives, without an export step, and {@code hub download} fetches the folder.
 */
class HubExportedModelRoundTripTest {
    static final String TOKEN = "hf_roundTRIPtoken0123456789";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    Run cli(String hfHome, String endpoint, String... args) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "-cp", cp, "io.jneuron.core.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("HF_") || k.startsWith("HUGGING") || k.startsWith("NEURON_"));
        env.put("HF_HOME", tmp.resolve(hfHome).toString());
        env.put("HF_ENDPOINT", endpoint);
        env.put("HF_TOKEN", TOKEN);
        env.put("NEURON_KERNEL_CACHE_DIR", tmp.resolve("compile-cache").toString());
        Path err = tmp.resolve("err-" + System.nanoTime());
        Process p = pb.redirectError(err.toFile()).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the CLI did not finish: " + String.join(" ", args));
        Run r = new Run(p.exitValue(), out, Files.readString(err));
        assertFalse((r.out() + r.err()).contains(TOKEN), "the token leaked: " + r);
        return r;
    }

    @Test
    void anExportPushedToTheHubGeneratesTheSameIdsFromItsRepoIdWithoutExporting() throws Exception {
        Path model = tmp.resolve("tiny-llama");
        TinyModels.generate(TinyModelSpec.tiny(Architecture.LLAMA).withSeed(5), model);
        Path served = Files.createDirectories(tmp.resolve("served"));
        try (LocalHub hub = LocalHub.start(served, HubToken.of(TOKEN))) {
            Path out = tmp.resolve("tiny-llama-neuron");
            Run export = cli("hf-a", hub.url(), "export", model.toString(), out.toString(), "--sequence_length", "64",
                    "--push_to_hub", "acme/tiny-llama-neuron", "--format", "json", "--threads", "2");
            assertEquals(0, export.code(), export.err());
            JsonNode pushed = export.json().get("pushed");
            assertEquals("acme/tiny-llama-neuron", pushed.get("repo").asText());
            assertTrue(pushed.get("commit").asText().matches("[0-9a-f]{40}"), pushed.toString());

            Run upload = cli("hf-a", hub.url(), "hub", "upload", "acme/second-copy", out.toString(), "--private",
                    "--format", "json");
            assertEquals(0, upload.code(), upload.err());
            assertTrue(upload.json().get("created").asBoolean());
            assertEquals("[\"config.json\",\"generation_config.json\",\"model.cpu\",\"neuron_config.json\","
                    + "\"tokenizer.json\",\"tokenizer_config.json\"]",
                    upload.json().get("files").toString());

            String[] gen = {"--prompt-ids", "5,6,7", "--max_new_tokens", "6", "--format", "json", "--threads", "2"};
            Run local = cli("hf-a", hub.url(), concat(new String[] {"generate", out.toString()}, gen));
            assertEquals(0, local.code(), local.err());
            for (String repo : List.of("acme/tiny-llama-neuron", "acme/second-copy")) {
                String fresh = "hf-fresh-" + repo.substring(5);
                Run remote = cli(fresh, hub.url(), concat(new String[] {"generate", repo}, gen));
                assertEquals(0, remote.code(), remote.err());
                JsonNode j = remote.json();
                assertEquals(local.json().get("generated_ids"), j.get("generated_ids"), repo);
                assertEquals(local.json().get("prompt_ids"), j.get("prompt_ids"));
                assertFalse(j.has("export"), "an exported repo is run as is: " + j);
                assertFalse(j.get("timings").has("export_ms"), j.get("timings").toString());
                Path snapshots = tmp.resolve(fresh).resolve("hub/models--acme--" + repo.substring(5) + "/snapshots");
                assertTrue(Files.isDirectory(snapshots), "downloaded into the standard Hugging Face cache");
            }

            Run download = cli("hf-download", hub.url(), "hub", "download", "acme/second-copy");
            assertEquals(0, download.code(), download.err());
            Path folder = Path.of(download.out().strip());
            assertTrue(folder.startsWith(tmp.resolve("hf-download/hub/models--acme--second-copy/snapshots")), folder.toString());
            assertEquals(Files.size(out.resolve("model.cpu")), Files.size(folder.resolve("model.cpu")));
            assertTrue(Files.isRegularFile(folder.resolve("neuron_config.json")));
        }
    }

    static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
