package io.jneuron.cpu.decoder;

import io.jneuron.core.shape.BucketPlan;
import io.jneuron.core.shape.ShapeSpec;
import io.jneuron.cpu.tensor.Kernels;
import io.jneuron.cpu.tensor.Parallel;

import java.util.List;

/**
 * A warm-up at load, as optimum-neuron runs one over a model's buckets: the kernels of the model's
 * precision are compiled first ({@link Kernels#warmUp}), then one short prefill and two decode
 * steps run through the real weights and code paths (norms, attention, activation, LM head) in a
 * throw-away session of batch 1 and 16 positions, so its KV cache costs next to nothing. The first
 * real generation then runs at full speed; the time is part of the load time callers report.
 * {@code -Djneuron.cpu.warmup=false} turns it off (to measure the cold penalty it removes).
 */
public final class DecoderWarmup {
    private static final int POSITIONS = 16;
    private static final int PROMPT = 8;

    private DecoderWarmup() {
    }

    public static boolean enabled() {
        return !"false".equals(System.getProperty("jneuron.cpu.warmup"));
    }

    public static void run(DecoderWeights weights, Parallel par) {
        if (!enabled()) {
            return;
        }
        Kernels.warmUp(weights.shape().dtype());
        int seq = Math.min(POSITIONS, weights.shape().sequenceLength());
        int prompt = Math.max(1, Math.min(PROMPT, seq - 2));
        ShapeSpec small = new ShapeSpec(1, seq, new BucketPlan(List.of(prompt)), weights.shape().dtype());
        int[] tokens = new int[prompt];
        for (int i = 0; i < prompt; i++) {
            tokens[i] = i % weights.config().vocabSize();
        }
        try (DecoderSession s = new DecoderSession(weights.withShape(small), par)) {
            s.prefill(new int[][] {tokens}, new int[] {prompt});
            for (int p = prompt; p < Math.min(seq, prompt + 2); p++) {
                s.decode(new int[] {p % weights.config().vocabSize()});
            }
        }
    }
}
