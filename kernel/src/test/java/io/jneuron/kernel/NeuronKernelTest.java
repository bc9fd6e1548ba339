package io.jneuron.kernel;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.model.Architecture;
import io.jneuron.core.testing.TinyModelSpec;
import io.jneuron.core.testing.TinyModels;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.kernel.magic.UndefinedMagicException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel without ZMQ: eval returns the display bundle a cell would publish. */
class NeuronKernelTest {
    static NeuronKernel kernel;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        kernel = NeuronKernel.create();
        kernel.onStartup();
    }

    @AfterAll
    static void stop() {
        kernel.onShutdown(false);
    }

    private static String text(DisplayData d) {
        return (String) d.getData(MIMEType.TEXT_PLAIN);
    }

    private static String html(DisplayData d) {
        return (String) d.getData(MIMEType.TEXT_HTML);
    }

    @Test
    void lastExpressionIsTheResult() {
        assertEquals("2", text(kernel.eval("1+1")));
        assertNull(kernel.eval("int x = 40;"));
        assertEquals("42", text(kernel.eval("x + 2")));
        assertEquals("hi", text(kernel.eval("String s = \"hi\";\ns")));
    }

    @Test
    void compileErrorPointsAtTheSpan() {
        CellError e = assertThrows(CellError.class, () -> kernel.eval("int y = \"no\";"));
        List<String> lines = ErrorFormat.format(e, kernel.getMagicsRegistry(), plain());
        String all = String.join("\n", lines);
        assertTrue(all.contains("incompatible types"), all);
        assertTrue(all.contains("^^^^"), all);
    }

    @Test
    void runtimeErrorNamesTheException() {
        CellError e = assertThrows(CellError.class, () -> kernel.eval("throw new IllegalStateException(\"boom\");"));
        assertEquals("java.lang.IllegalStateException: boom", e.getMessage());
    }

    @Test
    void unknownMagicListsTheKnownOnes() {
        UndefinedMagicException e = assertThrows(UndefinedMagicException.class, () -> kernel.eval("%nosuch 1"));
        String msg = String.join("\n", ErrorFormat.format(e, kernel.getMagicsRegistry(), plain()));
        assertTrue(msg.contains("%neuron_export"), msg);
    }

    @Test
    void completesJavaAndMagicNames() {
        ReplacementOptions r = kernel.complete("Sys", 3);
        assertTrue(r.getReplacements().contains("System"), r.getReplacements().toString());
        ReplacementOptions m = kernel.complete("%neuron_c", 9);
        assertEquals(List.of("%neuron_cache"), m.getReplacements());
        assertEquals(0, m.getSourceStart());
    }

    @Test
    void interruptStopsASleepingCell() throws Exception {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                return;
            }
            kernel.interrupt();
        });
        t.start();
        long t0 = System.nanoTime();
        assertThrows(CellWorker.Interrupted.class, () -> kernel.eval("Thread.sleep(60_000);"));
        assertTrue(System.nanoTime() - t0 < 30_000_000_000L);
        t.join();
        assertEquals("3", text(kernel.eval("1+2")));
    }

    @Test
    void magicsExportLookUpAndGenerate() throws Exception {
        Path model = dir.resolve("tiny");
        TinyModels.generate(TinyModelSpec.tiny(Architecture.LLAMA), model);
        Path cache = dir.resolve("cache");
        String out = dir.resolve("out").toString();
        String export = "%neuron_export " + model + " " + out + " --sequence_length 64 --cache_dir " + cache;
        DisplayData first = kernel.eval(export);
        assertTrue(text(first).startsWith("cache miss"), text(first));
        assertTrue(html(first).contains("<table class=\"jneuron-table\""), html(first));
        DisplayData second = kernel.eval(export);
        assertTrue(text(second).startsWith("cache hit-local"), text(second));

        DisplayData lookup = kernel.eval("%neuron_cache lookup " + model + " --cache_dir " + cache);
        assertTrue(html(lookup).contains("\">64</td>"), html(lookup));

        DisplayData gen = kernel.eval("%%neuron_generate " + out + " --max_new_tokens 5\nOnce upon a time");
        assertTrue(html(gen).contains("decode tok/s"), html(gen));

        // The export's generation_config.json supplies defaults; the magic's options override them; the table says which.
        Files.writeString(Path.of(out, "generation_config.json"), "{\"eos_token_id\": 2, \"repetition_penalty\": 1.25, "
                + "\"min_new_tokens\": 2}");
        String settings = html(kernel.eval("%%neuron_generate " + out + " --max_new_tokens 5 --min_new_tokens 5\nOnce"));
        assertTrue(settings.matches("(?s).*>repetition_penalty</td>[^<]*<td[^>]*>1\\.25</td>[^<]*<td[^>]*>generation_config"
                + "\\.json</td>.*"), settings);
        assertTrue(settings.matches("(?s).*>min_new_tokens</td>[^<]*<td[^>]*>5</td>[^<]*<td[^>]*>user</td>.*"), settings);
        // The kernel keeps the model loaded between cells: the same model again loads nothing. (Its load time is the
        // wait for the JIT compiler to go idle, which the warm-up switch turns off with the warm-up.)
        String again;
        System.setProperty("jneuron.cpu.warmup", "false");
        try {
            again = text(kernel.eval("%%neuron_generate " + out + " --max_new_tokens 2 --format json\nOnce"));
        } finally {
            System.clearProperty("jneuron.cpu.warmup");
        }
        assertTrue(again.matches("(?s).*\"load_ms\"\\s*:\\s*0\\.0[,}\\s].*"), again);

        DisplayData backends = kernel.eval("%neuron_backend");
        assertTrue(text(backends).contains("selected backend: cpu"), text(backends));

        NeuronKernelException bad = assertThrows(NeuronKernelException.class,
                () -> kernel.eval("%neuron_export " + model + " --no_such_option"));
        assertTrue(bad.getMessage().contains("usage:"), bad.getMessage());
        // The same objects are reachable from Java: the kernel survived and shares its JVM.
        assertEquals("5", text(kernel.eval("2+3")));
    }

    private static org.dflib.jjava.jupyter.kernel.util.StringStyler plain() {
        return new org.dflib.jjava.jupyter.kernel.util.StringStyler.Builder().build();
    }
}
