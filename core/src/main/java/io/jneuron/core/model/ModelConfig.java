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
 */
public record ModelConfig(Architecture architecture, int vocabSize, int hiddenSize, int numLayers, int numHeads,
                          int numKvHeads, int headDim, int intermediateSize, int maxPositionEmbeddings,
                          double normEps, double ropeTheta, RopeScaling ropeScaling, boolean tieWordEmbeddings,
                          String activation, boolean attentionBias, boolean mlpBias, String torchDtype) {
}
