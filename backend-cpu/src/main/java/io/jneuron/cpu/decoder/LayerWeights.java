package io.jneuron.cpu.decoder;

import io.jneuron.cpu.tensor.PackedMatrix;

/**
 * One decoder layer's weights in kernel layout. Biases and norm vectors are fp32; a null bias or
 * norm means the architecture has none. {@code qkv} stacks the query, key and value projections
 * ({@code [(heads + 2 * kvHeads) * headDim, hidden]}); {@code up} is GPT-2's {@code c_fc} or the gate
 * and up projections stacked ({@code [2 * intermediate, hidden]}). {@code qNorm}/{@code kNorm} are the
 * per-head query/key RMSNorms (Qwen3, Gemma 3); {@code postAttnNorm}/{@code postMlpNorm} normalise a
 * block's output before the residual add (Gemma). {@code norm2Weight} is always the norm in front of the MLP.
 */
public record LayerWeights(float[] norm1Weight, float[] norm1Bias, PackedMatrix qkv, float[] qkvBias,
                           PackedMatrix out, float[] outBias, float[] norm2Weight, float[] norm2Bias,
                           PackedMatrix up, float[] upBias, PackedMatrix down, float[] downBias,
                           float[] qNorm, float[] kNorm, float[] postAttnNorm, float[] postMlpNorm) {
}
