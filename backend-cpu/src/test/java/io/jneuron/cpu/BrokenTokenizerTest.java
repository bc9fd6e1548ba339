package io.jneuron.cpu;

import io.jneuron.core.Settings;
import io.jneuron.core.cli.Main;
import io.jneuron.core.export.ExportRequest;
import io.jneuron.core.export.Exporter;
import io.jneuron.core.export.ShapeRequest;
import io.jneuron.core.model.Architecture;
import io.jneuron.core.model.EncoderHead;
import io.jneuron.core.model.ModelFormatException;
import io.jneuron.core.testing.TinyEncoders;
import io.jneuron.core.testing.TinyModelSpec;
import io.jneuron.core.testing.TinyModels;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A broken tokenizer is refused when the export starts, naming the user's file (not the copy an export makes);
 * generate and pipeline on an export whose tokenizer broke afterwards name that file in one line.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BrokenTokenizerTest {
    @TempDir
    Path tmp;

    /** Breaks {@code file} in one of the ways the red team tried. */
    static void breakFile(Path file, String how) throws Exception {
        switch (how) {
            case "truncated" -> {
                byte[] b = Files.readAllBytes(file);
                Files.write(file, java.util.Arrays.copyOf(b, b.length / 2));
            }
            case "not-json" -> Files.writeString(file, "this is not JSON\n");
            case "wrong-structure" -> Files.writeString(file, "{\"version\": \"1.0\", \"model\": [1, 2, 3]}");
            case "array" -> Files.writeString(file, "[1, 2, 3]");
            case "empty" -> Files.writeString(file, "");
            case "directory" -> {
                Files.deleteIfExists(file);
                Files.createDirectory(file);
            }
            case "fifo" -> {
                Files.deleteIfExists(file);
                Process p = new ProcessBuilder("mkfifo", file.toString()).start();
                Assumptions.assumeTrue(p.waitFor() == 0, "mkfifo is not available");
            }
            case "config-malformed" -> Files.writeString(file, "{\"bos_token\": ");
            case "config-wrong-type" -> Files.writeString(file, "{\"eos_token\": 5}");
            default -> throw new IllegalArgumentException(how);
        }
    }

    Path checkpoint() {
        Path ckpt = tmp.resolve("tiny-llama");
        TinyModels.generate(TinyModelSpec.tiny(Architecture.LLAMA).withSeed(5), ckpt);
        return ckpt;
    }

    void export(Path ckpt, Path out, String task, Integer seq) {
        Exporter.export(new ExportRequest(ckpt.toString(), out, task, new ShapeRequest(1, seq, null, null), null, null,
                null, tmp.resolve("cache").toString()), new Settings("cpu", 2), (s, f) -> { });
    }

    @ParameterizedTest
    @ValueSource(strings = {"truncated", "not-json", "wrong-structure", "array", "empty", "directory", "fifo"})
    void aBrokenTokenizerJsonIsRefusedAtExportNamingTheUsersFile(String how) throws Exception {
        Path ckpt = checkpoint();
        breakFile(ckpt.resolve("tokenizer.json"), how);
        refusedAtExport(ckpt, ckpt.resolve("tokenizer.json"), how);
    }

    @ParameterizedTest
    @ValueSource(strings = {"config-malformed", "config-wrong-type", "directory", "fifo"})
    void aBrokenTokenizerConfigIsRefusedAtExportNamingTheUsersFile(String how) throws Exception {
        Path ckpt = checkpoint();
        Path file = ckpt.resolve("tokenizer_config.json");
        if (!Files.exists(file)) {
            Files.writeString(file, "{}");
        }
        breakFile(file, how);
        refusedAtExport(ckpt, file, how);
    }

    private void refusedAtExport(Path ckpt, Path file, String how) {
        Path out = tmp.resolve("out");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> export(ckpt, out, "text-generation", 128));
        assertTrue(e.getMessage().startsWith(file + ": "), how + ": " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), how + ": one line: " + e.getMessage());
        String expected = switch (how) {
            case "directory", "fifo" -> "not a regular file";
            case "config-malformed" -> "malformed JSON";
            case "config-wrong-type" -> "\"eos_token\" must be a token string";
            default -> "not a valid tokenizer.json (";
        };
        assertTrue(e.getMessage().contains(expected), how + ": " + e.getMessage());
        assertFalse(Files.exists(out), "nothing exported");
        assertFalse(Files.exists(tmp.resolve("cache").resolve("jneuron-cpu-" + CpuBackendProvider.VERSION)),
                "refused before any compile");
    }

    /** stderr carries progress lines first; the error is the last line and must be the only one. */
    record Run(int code, String out, String err) {
        String error() {
            String[] lines = err.strip().split("\n");
            for (int i = 0; i < lines.length - 1; i++) {
                assertTrue(lines[i].startsWith("[jneuron] "), "only progress before the error: " + err);
            }
            return lines[lines.length - 1];
        }
    }

    Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        System.setProperty("neuron.kernel.cache_dir", tmp.resolve("cache").toString());
        int code = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"truncated", "fifo", "directory"})
    void generateOnAnExportWhoseTokenizerBrokeNamesTheFileInOneLine(String how) throws Exception {
        Path out = tmp.resolve("out");
        export(checkpoint(), out, "text-generation", 128);
        Run ok = cli("generate", out.toString(), "--prompt", "Once upon", "--max_new_tokens", "2", "--threads", "2");
        assertEquals(0, ok.code(), ok.err());
        breakFile(out.resolve("tokenizer.json"), how);
        Run r = cli("generate", out.toString(), "--prompt", "Once upon", "--max_new_tokens", "2", "--threads", "2");
        assertNotEquals(0, r.code());
        String err = r.error();
        assertTrue(err.startsWith("error: " + out.resolve("tokenizer.json") + ": "), err);
        assertTrue(err.contains(how.equals("truncated") ? "not a valid tokenizer.json" : "not a regular file"), err);
    }

    @Test
    void pipelineOnAnExportWhoseTokenizerBrokeNamesTheFileInOneLine() throws Exception {
        Path ckpt = TinyEncoders.generate(Architecture.BERT, EncoderHead.NONE, 3, tmp.resolve("tiny-bert"));
        Path out = tmp.resolve("out");
        export(ckpt, out, "feature-extraction", 32);
        Run ok = cli("pipeline", "feature-extraction", out.toString(), "--input", "a man eats", "--threads", "2");
        assertEquals(0, ok.code(), ok.err());
        breakFile(out.resolve("tokenizer.json"), "not-json");
        Run r = cli("pipeline", "feature-extraction", out.toString(), "--input", "a man eats", "--threads", "2");
        assertNotEquals(0, r.code());
        String err = r.error();
        // The encoder's special tokens are named by string, so the vocabulary read meets the damage first.
        assertTrue(err.startsWith("error: " + out.resolve("tokenizer.json") + ": malformed JSON ("), err);
    }
}
