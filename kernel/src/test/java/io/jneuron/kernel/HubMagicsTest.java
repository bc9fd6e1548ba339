package io.jneuron.kernel;

import io.jneuron.core.cache.PyJson;
import io.jneuron.core.model.Architecture;
import io.jneuron.core.testing.TinyModelSpec;
import io.jneuron.core.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Hub story through the magics, against a real {@code bin/jneuron hub serve} process: a kernel (its own JVM,
 * with HF_ENDPOINT, HF_TOKEN and HF_HOME set as a kernelspec would) runs {@code %neuron_export ... --push_to_hub
 * REPO_ID}, then {@code %%neuron_generate} on the exported folder and on the repo id; the repo run downloads the
 * folder into the Hugging Face cache and gives the same ids without exporting.
 */
class HubMagicsTest {
    static final String TOKEN = "hf_magicsHUBtoken0123456789";

    @TempDir
    Path tmp;

    @Test
    void exportPushesToTheHubAndGenerateRunsTheRepoIdAsTheFolder() throws Exception {
        Path model = tmp.resolve("tiny-llama");
        TinyModels.generate(TinyModelSpec.tiny(Architecture.LLAMA).withSeed(7), model);
        Path tokenFile = tmp.resolve("token");
        Files.writeString(tokenFile, TOKEN);
        Path served = Files.createDirectories(tmp.resolve("served"));
        Process server = java(List.of("io.jneuron.core.cli.Main", "hub", "serve", served.toString(), "--port", "0",
                "--token-file", tokenFile.toString()), Map.of()).redirectError(tmp.resolve("server.log").toFile()).start();
        try {
            String url = serverUrl(server, tmp.resolve("server.log"));
            Path out = tmp.resolve("tiny-llama-cpu");
            Path results = Files.createDirectories(tmp.resolve("results"));
            String gen = " --max_new_tokens 6 --threads 2 --format json\nOnce upon a time";
            List<String> cells = List.of(
                    "%neuron_export " + model + " " + out + " --sequence_length 64 --push_to_hub acme/tiny-llama-cpu"
                            + " --format json",
                    "%%neuron_generate " + out + gen,
                    "%%neuron_generate acme/tiny-llama-cpu" + gen);
            List<String> cmd = new ArrayList<>(List.of(MagicDriver.class.getName(), results.toString()));
            cmd.addAll(cells);
            Process kernel = java(cmd, Map.of("HF_ENDPOINT", url, "HF_TOKEN", TOKEN, "HF_HOME", tmp.resolve("hf").toString(),
                    "NEURON_KERNEL_CACHE_DIR", tmp.resolve("compile-cache").toString()))
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("kernel.log").toFile()).start();
            assertTrue(kernel.waitFor(300, TimeUnit.SECONDS), "the kernel did not finish");
            String log = Files.readString(tmp.resolve("kernel.log"));
            assertEquals(0, kernel.exitValue(), log);
            assertFalse(log.contains(TOKEN), "the token leaked: " + log);

            Map<?, ?> export = json(results.resolve("1.txt"));
            Map<?, ?> pushed = (Map<?, ?>) export.get("pushed");
            assertEquals("acme/tiny-llama-cpu", pushed.get("repo"));
            assertTrue(((String) pushed.get("commit")).matches("[0-9a-f]{40}"), pushed.toString());
            assertTrue(Files.exists(served.resolve("acme/tiny-llama-cpu")), "the server holds the repo");

            Map<?, ?> local = json(results.resolve("2.txt"));
            Map<?, ?> remote = json(results.resolve("3.txt"));
            assertEquals(6, ((List<?>) ((List<?>) local.get("generated_ids")).get(0)).size(), local.toString());
            assertEquals(local.get("prompt_ids"), remote.get("prompt_ids"));
            assertEquals(local.get("generated_ids"), remote.get("generated_ids"));
            assertFalse(remote.containsKey("export"), "an exported repo runs as it is: " + remote);
            assertFalse(((Map<?, ?>) remote.get("timings")).containsKey("export_ms"), remote.toString());
            assertTrue(Files.isRegularFile(tmp.resolve("hf/hub/models--acme--tiny-llama-cpu/refs/main")),
                    "downloaded into the standard Hugging Face cache");
        } finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static Map<?, ?> json(Path file) throws Exception {
        return (Map<?, ?>) PyJson.parse(Files.readString(file), file.toString());
    }

    /** The URL {@code hub serve} prints on its first line. */
    private static String serverUrl(Process server, Path log) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        Matcher m = Pattern.compile(" at (http://\\S+)").matcher(String.valueOf(line));
        assertTrue(m.find(), "hub serve printed: " + line + "\n" + Files.readString(log));
        return m.group(1);
    }

    /** A JVM on the test class path with only the given Hugging Face and jneuron variables set. */
    private static ProcessBuilder java(List<String> args, Map<String, String> env) {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "-cp", cp));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("HF_") || k.startsWith("HUGGING") || k.startsWith("NEURON_"));
        pb.environment().putAll(env);
        return pb;
    }
}
