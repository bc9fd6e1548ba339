package io.jneuron.core.generate;

import io.jneuron.core.NeuronKernelException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * What to generate: one or more prompts as token ids (used verbatim, no special tokens added), how
 * many new tokens at most, how to choose them, when to stop and where to stream them. Immutable;
 * build with {@link #builder}, which checks every setting.
 *
 * <p>Defaults: 20 new tokens (at least 0), no repetition penalty, greedy, EOS ids and pad id from the tokenizer (none and 0 without one),
 * no top logits, no listener, and more prompts than the compiled batch size are refused rather than
 * split (as optimum-neuron does without {@code dynamic_batch_size}).
 *
 * @param prompts           the prompt rows (copied in and out; {@link #prompt} and {@link #promptLength} read one)
 * @param maxNewTokens      the most tokens generated per row; the one chosen from the prefill logits is the first
 * @param minNewTokens      EOS ids are masked (logit -inf) until a row has this many new tokens (transformers'
 *                          min_new_tokens)
 * @param repetitionPenalty logits of tokens already in the row (prompt or generated) are divided by this when
 *                          positive, multiplied when not (transformers' RepetitionPenaltyLogitsProcessor); 1 = off
 * @param eosIds            ids that stop a row (any of them); null means "the tokenizer's EOS ids"
 * @param padId             the id padding uses; null means "the tokenizer's pad id, else 0"
 * @param splitBatches      whether more prompts than the compiled batch size run as several batches instead of failing
 * @param topLogits         how many of the largest prefill logits to report per row; 0 = none
 * @param listener          where tokens stream to; may be null
 */
public record GenerationRequest(int[][] prompts, int maxNewTokens, int minNewTokens, double repetitionPenalty,
                                SamplingParams sampling, List<Integer> eosIds, Integer padId, boolean splitBatches,
                                int topLogits, TokenListener listener) {
    public static final int DEFAULT_MAX_NEW_TOKENS = 20;

    public GenerationRequest {
        if (minNewTokens > maxNewTokens) {
            throw new NeuronKernelException("min_new_tokens " + minNewTokens + " is above max_new_tokens " + maxNewTokens);
        }
        prompts = copy(prompts);
        eosIds = eosIds == null ? null : List.copyOf(eosIds);
    }

    /** A builder for these prompt rows (copied). */
    public static Builder builder(int[]... prompts) {
        return new Builder(List.of(prompts));
    }

    /** A builder for these prompt rows (copied). */
    public static Builder builder(List<int[]> prompts) {
        return new Builder(prompts);
    }

    @Override
    public int[][] prompts() {
        return copy(prompts);
    }

    private static int[][] copy(int[][] rows) {
        // Loops, not streams, here and on the rest of a generation's path: on JDK 24+ each lambda is spun through
        // the class-file API in the first generation, and C2 compiling that API could land in its prefill.
        int[][] out = new int[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rows[i].clone();
        }
        return out;
    }

    public int rows() {
        return prompts.length;
    }

    /** A copy of row {@code row}'s prompt ids. */
    public int[] prompt(int row) {
        return prompts[row].clone();
    }

    /** Length of row {@code row}'s prompt, without copying it. */
    public int promptLength(int row) {
        return prompts[row].length;
    }

    /** Copies {@code row}'s prompt into {@code dest} from index 0. */
    void copyPrompt(int row, int[] dest) {
        System.arraycopy(prompts[row], 0, dest, 0, prompts[row].length);
    }

    /** Token id {@code row}'s prompt holds at {@code index}. */
    int promptId(int row, int index) {
        return prompts[row][index];
    }

    /** Collects the optional settings; {@link #build()} checks them. */
    public static final class Builder {
        private final int[][] prompts;
        private int maxNewTokens = DEFAULT_MAX_NEW_TOKENS;
        private int minNewTokens;
        private double repetitionPenalty = 1.0;
        private SamplingParams sampling = SamplingParams.GREEDY;
        private List<Integer> eosIds;
        private Integer padId;
        private boolean splitBatches;
        private int topLogits;
        private TokenListener listener;

        private Builder(List<int[]> rows) {
            Objects.requireNonNull(rows, "prompts");
            if (rows.isEmpty()) {
                throw new NeuronKernelException("no prompts given; give at least one prompt");
            }
            prompts = new int[rows.size()][];
            for (int r = 0; r < prompts.length; r++) {
                if (rows.get(r) == null) {
                    throw new NeuronKernelException("prompt row " + r + " is null");
                }
                prompts[r] = rows.get(r).clone();
            }
        }

        public Builder maxNewTokens(int n) {
            if (n < 0) {
                throw new NeuronKernelException("max_new_tokens must be >= 0, got " + n);
            }
            this.maxNewTokens = n;
            return this;
        }

        public Builder minNewTokens(int n) {
            if (n < 0) {
                throw new NeuronKernelException("min_new_tokens must be >= 0, got " + n);
            }
            this.minNewTokens = n;
            return this;
        }

        public Builder repetitionPenalty(double p) {
            if (!(p > 0 && p < Double.POSITIVE_INFINITY)) {
                throw new NeuronKernelException("repetition_penalty must be a finite number > 0, got " + p);
            }
            this.repetitionPenalty = p;
            return this;
        }

        /** Sampling, max/min new tokens, repetition penalty, eos and pad ids as resolved. */
        public Builder settings(GenerationSettings g) {
            maxNewTokens(g.maxNewTokens()).minNewTokens(g.minNewTokens()).repetitionPenalty(g.repetitionPenalty())
                    .sampling(g.sampling()).eosIds(g.eosIds());
            if (g.padId() != null) {
                padId(g.padId());
            }
            return this;
        }

        public Builder sampling(SamplingParams params) {
            this.sampling = Objects.requireNonNull(params, "sampling");
            return this;
        }

        /** A single EOS id: a row stops after producing it. */
        public Builder eosId(int id) {
            this.eosIds = List.of(id);
            return this;
        }

        /** Several EOS ids (any stops a row); an empty list disables EOS; null restores the tokenizer's. */
        public Builder eosIds(Collection<Integer> ids) {
            this.eosIds = ids == null ? null : new ArrayList<>(ids);
            return this;
        }

        public Builder padId(int id) {
            this.padId = id;
            return this;
        }

        public Builder splitBatches(boolean split) {
            this.splitBatches = split;
            return this;
        }

        public Builder topLogits(int k) {
            if (k < 0) {
                throw new NeuronKernelException("top logits must be >= 0, got " + k);
            }
            this.topLogits = k;
            return this;
        }

        public Builder listener(TokenListener l) {
            this.listener = l;
            return this;
        }

        public GenerationRequest build() {
            return new GenerationRequest(prompts, maxNewTokens, minNewTokens, repetitionPenalty, sampling, eosIds, padId,
                    splitBatches, topLogits, listener);
        }
    }
}
