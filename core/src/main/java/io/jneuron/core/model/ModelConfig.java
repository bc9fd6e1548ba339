package io.jneuron.core.model;

/**
 * The normalised view of a Hugging Face {@code config.json} for the decoders jneuron runs. GPT-2 keys
 * ({@code n_embd}, {@code n_layer}, ...) and Llama keys ({@code hidden_size}, ...) both land here.
 *
 * @param numKvHeads       key/value heads (grouped-query attention); equals {@code numHeads} for MHA
 * @param headDim          per-head width ({@code head_dim}, default hidden/heads)
 * @param intermediateSize MLP width ({@code n_inner}, default 4*hidden, for GPT-2)
 * @param normEps          {@code layer_norm_epsilon} (GPT-2) or {@code rms_norm_eps} (Llama)
 * @param ropeTheta        Llama only; 0 for GPT-2
 * @param ropeScaling      Llama only; null when absent
 * @param activation       {@code activation_function} (GPT-2) or {@code hidden_act} (Llama)
 * @param attentionBias    Llama {@code attention_bias}; GPT-2 always has biases
 * @param mlpBias          Llama {@code mlp_bias}
 * @param torchDtype       {@code torch_dtype} as written, or null
 * @param traits           what sets a Llama-like family apart from Llama ({@link DecoderTraits#NONE} for Llama, GPT-2)
 */
public record ModelConfig(Architecture architecture, int vocabSize, int hiddenSize, int numLayers, int numHeads,
                          int numKvHeads, int headDim, int intermediateSize, int maxPositionEmbeddings,
                          double normEps, double ropeTheta, RopeScaling ropeScaling, boolean tieWordEmbeddings,
                          String activation, boolean attentionBias, boolean mlpBias, String torchDtype,
                          DecoderTraits traits) {
    public ModelConfig {
        // Artifacts written before traits existed hold none: they are Llama or GPT-2.
        traits = traits == null ? DecoderTraits.NONE : traits;
    }

    /** A Llama or GPT-2 config: no family traits. */
    public ModelConfig(Architecture architecture, int vocabSize, int hiddenSize, int numLayers, int numHeads,
                       int numKvHeads, int headDim, int intermediateSize, int maxPositionEmbeddings, double normEps,
                       double ropeTheta, RopeScaling ropeScaling, boolean tieWordEmbeddings, String activation,
                       boolean attentionBias, boolean mlpBias, String torchDtype) {
        this(architecture, vocabSize, hiddenSize, numLayers, numHeads, numKvHeads, headDim, intermediateSize,
                maxPositionEmbeddings, normEps, ropeTheta, ropeScaling, tieWordEmbeddings, activation, attentionBias,
                mlpBias, torchDtype, DecoderTraits.NONE);
    }

    /**
     * The longest sequence the model was made for: {@code max_position_embeddings} ({@code n_positions}), times the
     * factor of a linear rope scaling (whose configs keep the unscaled length). llama3 and longrope configs already
     * state the extended length.
     */
    public int maxSequenceLength() {
        // Gemma 3 scales only its global layers and states the extended length itself.
        if (ropeScaling != null && ropeScaling.type().equals("linear") && ropeScaling.factor() > 1
                && architecture != Architecture.GEMMA3_TEXT) {
            return (int) Math.min(Integer.MAX_VALUE, Math.round(maxPositionEmbeddings * ropeScaling.factor()));
        }
        return maxPositionEmbeddings;
    }

    /** The config key that states the limit, for messages. */
    public String maxSequenceLengthKey() {
        String key = architecture == Architecture.GPT2 ? "n_positions" : "max_position_embeddings";
        return maxSequenceLength() == maxPositionEmbeddings ? key
                : key + " " + maxPositionEmbeddings + " x linear rope_scaling factor " + ropeScaling.factor();
    }
}
