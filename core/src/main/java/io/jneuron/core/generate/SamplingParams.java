package io.jneuron.core.generate;

import io.jneuron.core.NeuronKernelException;

/**
 * How the next token is chosen: greedy (argmax, lowest id on ties), or sampling with a temperature,
 * then top-k, then top-p (nucleus), drawn from a seeded stream per prompt row.
 *
 * <p>Always valid once constructed: {@code temperature > 0} and finite, {@code 0 <= top_k} (0 turns
 * top-k off), {@code 0 < top_p <= 1} (1 turns top-p off). When {@code greedy} is set the other values
 * are ignored (they still have to be valid; {@link #GREEDY} uses the neutral ones).
 *
 * @param greedy      argmax decoding; no randomness
 * @param temperature logits are divided by it before the softmax
 * @param topK        keep only the k most likely tokens; 0 = off
 * @param topP        keep the smallest most-likely set whose probability reaches top_p; 1 = off
 * @param seed        seeds every row's random stream; same seed, same logits -> same tokens
 */
public record SamplingParams(boolean greedy, double temperature, int topK, double topP, long seed) {

    /** Argmax decoding (the other values are the neutral ones). */
    public static final SamplingParams GREEDY = new SamplingParams(true, 1.0, 0, 1.0, 0L);

    public SamplingParams {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new NeuronKernelException("temperature must be a finite number > 0, got " + temperature
                    + "; use --greedy for deterministic decoding");
        }
        if (topK < 0) {
            throw new NeuronKernelException("top_k must be >= 0 (0 turns it off), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new NeuronKernelException("top_p must be in (0, 1] (1 turns it off), got " + topP);
        }
    }

    /** Sampling with the given temperature, top-k (0 = off), top-p (1 = off) and seed. */
    public static SamplingParams sample(double temperature, int topK, double topP, long seed) {
        return new SamplingParams(false, temperature, topK, topP, seed);
    }

    @Override
    public String toString() {
        return greedy ? "greedy" : "sample(temperature=" + temperature + ", top_k=" + topK + ", top_p=" + topP
                + ", seed=" + seed + ")";
    }
}
