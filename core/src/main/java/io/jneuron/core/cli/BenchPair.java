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

import com.sun.management.ThreadMXBean;

import java.lang.management.ManagementFactory;

/**
 * {@code bench MODEL --against BASELINE}: both models loaded in this JVM, warmed up, then timed generations of the
 * two alternating (the order flips every iteration), so a busy machine slows both alike; the ratio MODEL / BASELINE
 * is taken per adjacent pair and its median reported beside each model's median speed. The models must share a
 * vocabulary size (the same random prompt feeds both). Besides wall-clock speed it reports speed per CPU second of
 * the process (all its threads), read when the first token arrives and at the end: on a machine shared with other
 * work, waiting for a core inflates wall time but not CPU time, so the CPU ratio is the steadier one.
 */
final class BenchPair {
    private BenchPair() {
    }

    static ObjectNode measure(String model, String baseline, ShapeRequest shape, Settings settings, int promptLength,
                              int newTokens, int warmup, int iterations) {
        try (ModelOpener.Opened a = ModelOpener.open(model, shape, settings, ProgressListener.NONE, false);
             ModelOpener.Opened b = ModelOpener.open(baseline, shape, settings, ProgressListener.NONE, false)) {
            int vocab = a.model().config().vocabSize();
            if (b.model().config().vocabSize() != vocab || a.model().shape().batchSize() != b.model().shape().batchSize()) {
                throw new NeuronKernelException("--against needs a model of the same vocabulary and batch size: "
                        + vocab + " vs " + b.model().config().vocabSize());
            }
            int[][] prompts = BenchRun.prompts(a.model().shape().batchSize(), promptLength, vocab);
            // No EOS: every run generates exactly newTokens tokens.
            GenerationRequest request = GenerationRequest.builder(prompts).maxNewTokens(newTokens).build();
            Generator ga = new Generator(a.model(), null);
            Generator gb = new Generator(b.model(), null);
            for (int i = 0; i < Math.max(1, warmup); i++) {
                ga.generate(request);
                gb.generate(request);
            }
            double[][] v = new double[12][iterations]; // prefill a, b, ratio; decode a, b, ratio; the same per CPU s
            for (int i = 0; i < iterations; i++) {
                double[] ra;
                double[] rb;
                if (i % 2 == 0) {
                    ra = timed(ga, prompts, newTokens);
                    rb = timed(gb, prompts, newTokens);
                } else {
                    rb = timed(gb, prompts, newTokens);
                    ra = timed(ga, prompts, newTokens);
                }
                for (int k = 0; k < 4; k++) {
                    v[3 * k][i] = ra[k];
                    v[3 * k + 1][i] = rb[k];
                    v[3 * k + 2][i] = ra[k] / rb[k];
                }
            }
            ObjectNode node = BenchRun.JSON.createObjectNode();
            node.put("model", model);
            node.put("against", baseline);
            node.put("iterations", iterations);
            String[] names = {"prefill_tok_s", "against_prefill_tok_s", "prefill_ratio", "decode_tok_s",
                "against_decode_tok_s", "decode_ratio", "prefill_tok_per_cpu_s", "against_prefill_tok_per_cpu_s",
                "prefill_cpu_ratio", "decode_tok_per_cpu_s", "against_decode_tok_per_cpu_s", "decode_cpu_ratio"};
            for (int k = 0; k < names.length; k++) {
                node.put(names[k], BenchRun.median(v[k]));
            }
            return node;
        }
    }

    /** One generation: prefill and decode tokens per wall second, then per CPU second of the process. */
    private static double[] timed(Generator g, int[][] prompts, int newTokens) {
        long[] firstToken = new long[1];
        GenerationRequest request = GenerationRequest.builder(prompts).maxNewTokens(newTokens)
                .listener((row, id, delta) -> {
                    if (firstToken[0] == 0) {
                        firstToken[0] = cpuNanos();
                    }
                }).build();
        long c0 = cpuNanos();
        GenerationResult r = g.generate(request);
        long c1 = cpuNanos();
        GenerationResult.Timings t = r.timings();
        return new double[] {t.prefillTokS(), t.decodeTokS(), t.promptTokens() / ((firstToken[0] - c0) / 1e9),
            t.decodeTokens() / ((c1 - firstToken[0]) / 1e9)};
    }

    /** CPU time of every thread of the JVM; per thread, as the process total is counted in 10 ms ticks here. */
    private static long cpuNanos() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long t : threads.getThreadCpuTime(threads.getAllThreadIds())) {
            sum += Math.max(0, t);
        }
        return sum;
    }
}
