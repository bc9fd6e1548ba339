package io.jneuron.core.generate;

import io.jneuron.core.NeuronKernelException;

/**
 * The decoding settings a user asked for (an option, a magic argument, a Java call); null means "not set", so
 * the model's {@code generation_config.json} and then the defaults decide ({@link GenerationSettings#resolve}).
 * Values are checked here, with the option names in the messages.
 *
 * @param doSample          true with --temperature, false with --greedy, null when neither was given
 * @param seed              seeds sampling (files carry no seed; null: 0)
 */
public record GenerationOptions(Integer maxNewTokens, Integer minNewTokens, Boolean doSample, Double temperature,
                                Integer topK, Double topP, Double repetitionPenalty, Long seed) {
    /** Nothing set: the model's generation_config.json and the defaults decide everything. */
    public static final GenerationOptions NONE = new GenerationOptions(null, null, null, null, null, null, null, null);

    public GenerationOptions {
        if (maxNewTokens != null && maxNewTokens < 0) {
            throw new NeuronKernelException("--max_new_tokens must be >= 0, got " + maxNewTokens);
        }
        if (minNewTokens != null && minNewTokens < 0) {
            throw new NeuronKernelException("--min_new_tokens must be >= 0, got " + minNewTokens);
        }
        if (maxNewTokens != null && minNewTokens != null && minNewTokens > maxNewTokens) {
            throw new NeuronKernelException("--min_new_tokens " + minNewTokens + " is above --max_new_tokens "
                    + maxNewTokens + "; lower it or raise --max_new_tokens");
        }
        if (repetitionPenalty != null && !(repetitionPenalty > 0 && repetitionPenalty < Double.POSITIVE_INFINITY)) {
            throw new NeuronKernelException("--repetition_penalty must be a finite number > 0 (1 turns it off, above 1 "
                    + "discourages repeats), got " + repetitionPenalty);
        }
        if (temperature != null && !(temperature > 0 && temperature < Double.POSITIVE_INFINITY)) {
            throw new NeuronKernelException("--temperature must be a finite number > 0, got " + temperature
                    + "; use --greedy for deterministic decoding");
        }
        if (topK != null && topK < 0) {
            throw new NeuronKernelException("--top_k must be >= 0 (0 turns it off), got " + topK);
        }
        if (topP != null && !(topP > 0 && topP <= 1)) {
            throw new NeuronKernelException("--top_p must be in (0, 1] (1 turns it off), got " + topP);
        }
        if (Boolean.FALSE.equals(doSample) && (temperature != null || topK != null || topP != null)) {
            throw new NeuronKernelException("--greedy excludes --temperature, --top_k and --top_p; choose one");
        }
    }

    /** Only max_new_tokens set (what {@code Jneuron.generate(model, prompt, n)} asks). */
    public static GenerationOptions maxNewTokens(int n) {
        return NONE.withMaxNewTokens(n);
    }

    /** Every sampling setting fixed by {@code p} (greedy, or sampling with its values), nothing else. */
    public static GenerationOptions of(SamplingParams p) {
        return p.greedy() ? new GenerationOptions(null, null, false, null, null, null, null, p.seed())
                : new GenerationOptions(null, null, true, p.temperature(), p.topK(), p.topP(), null, p.seed());
    }

    public GenerationOptions withMaxNewTokens(Integer n) {
        return new GenerationOptions(n, minNewTokens, doSample, temperature, topK, topP, repetitionPenalty, seed);
    }

    public GenerationOptions withMinNewTokens(Integer n) {
        return new GenerationOptions(maxNewTokens, n, doSample, temperature, topK, topP, repetitionPenalty, seed);
    }

    public GenerationOptions withRepetitionPenalty(Double p) {
        return new GenerationOptions(maxNewTokens, minNewTokens, doSample, temperature, topK, topP, p, seed);
    }

    /** Greedy (argmax) whatever the model's generation_config.json says. */
    public GenerationOptions greedy() {
        return new GenerationOptions(maxNewTokens, minNewTokens, false, null, null, null, repetitionPenalty, seed);
    }

    /** Sampling at {@code temperature}; top-k and top-p stay as set (null: from generation_config.json). */
    public GenerationOptions sample(double t, Long s) {
        return new GenerationOptions(maxNewTokens, minNewTokens, true, t, topK, topP, repetitionPenalty, s);
    }
}
