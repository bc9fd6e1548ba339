package io.jneuron.core.model;

import java.util.List;

/**
 * What distinguishes the Llama-like families from plain Llama, as numbers the shared decoder reads.
 * {@link #NONE} is Llama (and GPT-2, which ignores them).
 *
 * @param qkNorm              per-head RMSNorm of queries and keys before RoPE (Qwen3 {@code q_norm}/{@code k_norm}, Gemma 3)
 * @param sandwichNorm        norms after attention and around the MLP (Gemma 2/3: post_attention, pre/post_feedforward)
 * @param normWeightOffset    added to every RMSNorm weight (Gemma scales by {@code 1 + weight}); 0 otherwise
 * @param partialRotaryFactor the fraction of each head that is rotated (Phi-3 {@code partial_rotary_factor}); 1 = all
 * @param slidingWindows      per layer, the window of keys a query sees (itself included); 0 = the whole past.
 *                            Empty means every layer is global
 * @param noRopeLayers        per layer, true where the layer uses no positions (SmolLM3 NoPE); empty = none
 * @param localRopeTheta      rope base of sliding-window layers (Gemma 3 {@code rope_local_base_freq}, unscaled); 0 = same as global
 * @param embeddingMultiplier embeddings are multiplied by this (Gemma: sqrt(hidden); Granite {@code embedding_multiplier})
 * @param attentionScale      query-key scale; 0 means 1/sqrt(head_dim) (Gemma: {@code query_pre_attn_scalar}^-0.5, Granite
 *                            {@code attention_multiplier})
 * @param attnLogitSoftcap    attention scores become {@code cap * tanh(score / cap)} (Gemma 2); 0 = none
 * @param finalLogitSoftcap   the same on the output logits; 0 = none
 * @param residualMultiplier  each block's output is multiplied by this before the residual add (Granite); 1 otherwise
 * @param logitsScaling       output logits are divided by this (Granite {@code logits_scaling}); 1 otherwise
 */
public record DecoderTraits(boolean qkNorm, boolean sandwichNorm, double normWeightOffset, double partialRotaryFactor,
                            List<Integer> slidingWindows, List<Boolean> noRopeLayers, double localRopeTheta,
                            double embeddingMultiplier, double attentionScale, double attnLogitSoftcap,
                            double finalLogitSoftcap, double residualMultiplier, double logitsScaling) {
    public static final DecoderTraits NONE = new DecoderTraits(false, false, 0, 1, List.of(), List.of(), 0, 1, 0, 0, 0, 1, 1);

    public DecoderTraits {
        slidingWindows = slidingWindows == null ? List.of() : List.copyOf(slidingWindows);
        noRopeLayers = noRopeLayers == null ? List.of() : List.copyOf(noRopeLayers);
    }

    /** The sliding window of {@code layer}, 0 when it attends to the whole past. */
    public int window(int layer) {
        return slidingWindows.isEmpty() ? 0 : slidingWindows.get(layer);
    }

    public boolean rope(int layer) {
        return noRopeLayers.isEmpty() || !noRopeLayers.get(layer);
    }

    public DecoderTraits withQkNorm(boolean v) {
        return new DecoderTraits(v, sandwichNorm, normWeightOffset, partialRotaryFactor, slidingWindows, noRopeLayers,
                localRopeTheta, embeddingMultiplier, attentionScale, attnLogitSoftcap, finalLogitSoftcap,
                residualMultiplier, logitsScaling);
    }

    public DecoderTraits withPartialRotaryFactor(double v) {
        return new DecoderTraits(qkNorm, sandwichNorm, normWeightOffset, v, slidingWindows, noRopeLayers,
                localRopeTheta, embeddingMultiplier, attentionScale, attnLogitSoftcap, finalLogitSoftcap,
                residualMultiplier, logitsScaling);
    }

    public DecoderTraits withSlidingWindows(List<Integer> v) {
        return new DecoderTraits(qkNorm, sandwichNorm, normWeightOffset, partialRotaryFactor, v, noRopeLayers,
                localRopeTheta, embeddingMultiplier, attentionScale, attnLogitSoftcap, finalLogitSoftcap,
                residualMultiplier, logitsScaling);
    }

    public DecoderTraits withNoRopeLayers(List<Boolean> v) {
        return new DecoderTraits(qkNorm, sandwichNorm, normWeightOffset, partialRotaryFactor, slidingWindows, v,
                localRopeTheta, embeddingMultiplier, attentionScale, attnLogitSoftcap, finalLogitSoftcap,
                residualMultiplier, logitsScaling);
    }

    /** Gemma's norms, scaling and soft-capping in one step. */
    public DecoderTraits withGemma(double embedScale, double attnScale, double attnCap, double finalCap,
                                   double localTheta) {
        return new DecoderTraits(qkNorm, true, 1.0, partialRotaryFactor, slidingWindows, noRopeLayers, localTheta,
                embedScale, attnScale, attnCap, finalCap, residualMultiplier, logitsScaling);
    }

    /** Granite's multipliers. */
    public DecoderTraits withGranite(double embedding, double attention, double residual, double logits) {
        return new DecoderTraits(qkNorm, sandwichNorm, normWeightOffset, partialRotaryFactor, slidingWindows,
                noRopeLayers, localRopeTheta, embedding, attention, attnLogitSoftcap, finalLogitSoftcap, residual, logits);
    }
}
