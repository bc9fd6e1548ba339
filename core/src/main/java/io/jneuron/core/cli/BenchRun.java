package io.jneuron.core.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.Settings;
import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.export.ModelOpener;
import io.jneuron.core.export.ShapeRequest;
import io.jneuron.core.generate.GenerationRequest;
import io.jneuron.core.generate.GenerationResult;
import io.jneuron.core.generate.Generator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * One benchmark measurement in the current JVM: load, the first (cold) generation, further warm-up
 * generations, then the timed ones (warm).
 */
final class BenchRun {
    /** For {@code bench}, which reads its child JVMs' JSON; here, not on every command's start-up path. */
    static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private BenchRun() {
    }

    static ObjectNode measure(String model, ShapeRequest shape, Settings settings, int promptLength, int newTokens,
                              int warmup, int iterations) {
        // The tokenizer is opened as generate opens it, though the prompts are ids: its class loading is part of
        // what a process does before its first generation (it once left compilations inside the first prefill),
        // and its memory (~22 MiB for a 32K vocabulary, mostly the native tokenizer's heap) part of peak RSS.
        try (ModelOpener.Opened opened = ModelOpener.open(model, shape, settings, ProgressListener.NONE, true)) {
            int batch = opened.model().shape().batchSize();
            int vocab = opened.model().config().vocabSize();
            int[][] prompts = prompts(batch, promptLength, vocab);
            // No EOS: every run generates exactly newTokens tokens, so runs are comparable.
            GenerationRequest request = GenerationRequest.builder(prompts).maxNewTokens(newTokens).build();
            Generator generator = new Generator(opened.model(), null);
            // The JVM's first generation is the cold one (what one CLI call gets); the warm-ups follow it.
            GenerationResult cold = generator.generate(request);
            for (int i = 1; i < warmup; i++) {
                generator.generate(request);
            }
            double[] prefill = new double[iterations];
            double[] decode = new double[iterations];
            double[] ttft = new double[iterations];
            GenerationResult r = null;
            for (int i = 0; i < iterations; i++) {
                r = generator.generate(request);
                prefill[i] = r.timings().prefillTokS();
                decode[i] = r.timings().decodeTokS();
                ttft[i] = r.timings().ttftMs();
            }
            ObjectNode node = JSON.createObjectNode();
            node.put("load_ms", opened.loadMs());
            node.put("cold_prefill_tok_s", cold.timings().prefillTokS());
            node.put("cold_decode_tok_s", cold.timings().decodeTokS());
            // The median of this JVM's timed iterations; the parent takes min/median/max over JVMs.
            node.put("prefill_tok_s", median(prefill));
            node.put("decode_tok_s", median(decode));
            node.put("ttft_ms", median(ttft));
            node.put("iterations", iterations);
            node.put("bucket", r.bucket());
            node.put("peak_rss_mb", peakRssMb());
            return node;
        }
    }

    /** The benchmark's prompts: {@code batch} rows of random ids, the same in every run (seed 42). */
    static int[][] prompts(int batch, int promptLength, int vocab) {
        SplittableRandom rnd = new SplittableRandom(42);
        int[][] prompts = new int[batch][promptLength];
        for (int[] row : prompts) {
            for (int i = 0; i < promptLength; i++) {
                row[i] = rnd.nextInt(vocab);
            }
        }
        return prompts;
    }

    /** The median of {@code v}, left unsorted. */
    static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return BenchCommand.median(s);
    }

    /** VmHWM from /proc (Linux); -1 elsewhere. */
    static double peakRssMb() {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
            return -1;
        } catch (IOException | NumberFormatException e) {
            throw new NeuronKernelException("cannot read peak RSS from " + status + ": " + e.getMessage(), e);
        }
    }
}
