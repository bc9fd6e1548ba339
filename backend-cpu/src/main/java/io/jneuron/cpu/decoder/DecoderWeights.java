package io.jneuron.cpu.decoder;

import io.jneuron.core.model.ModelConfig;
import io.jneuron.core.shape.ShapeSpec;
import io.jneuron.cpu.tensor.PackedMatrix;

import java.util.List;

/**
 * Everything a decoder needs that never changes after load: weights, the static shapes and the
 * rotary tables. Immutable and shared by every session of a loaded model.
 *
 * @param positionEmbedding GPT-2's learned {@code [maxPositions, hidden]} table (fp32), null for Llama
 * @param lmHead            the output projection; the token embedding itself when tied
 * @param rope              the rotary tables for {@code shape} (see {@link #ropeTables})
 */
public record DecoderWeights(ModelConfig config, ShapeSpec shape, PackedMatrix tokenEmbedding,
                             float[] positionEmbedding, List<LayerWeights> layers, float[] finalNormWeight,
                             float[] finalNormBias, PackedMatrix lmHead, RotaryTables rope) {

    public DecoderWeights(ModelConfig config, ShapeSpec shape, PackedMatrix tokenEmbedding, float[] positionEmbedding,
                          List<LayerWeights> layers, float[] finalNormWeight, float[] finalNormBias,
                          PackedMatrix lmHead) {
        this(config, shape, tokenEmbedding, positionEmbedding, layers, finalNormWeight, finalNormBias, lmHead,
                new RotaryTables(config, shape));
    }

    /** The same weights for other static shapes (a warm-up session); nothing is copied. */
    public DecoderWeights withShape(ShapeSpec other) {
        // Rotary tables depend on the sequence length alone (longrope picks its factors by it).
        RotaryTables tables = other.sequenceLength() == shape.sequenceLength() ? rope
                : new RotaryTables(config, other);
        return new DecoderWeights(config, other, tokenEmbedding, positionEmbedding, layers, finalNormWeight,
                finalNormBias, lmHead, tables);
    }

    public boolean rotary() {
        return config.architecture().llamaLike();
    }

    public long weightBytes() {
        long n = tokenEmbedding.bytes() + (lmHead != tokenEmbedding ? lmHead.bytes() : 0);
        for (LayerWeights l : layers) {
            n += l.qkv().bytes() + l.out().bytes() + l.up().bytes() + l.down().bytes();
        }
        return n;
    }

    /** Width of the rotated part of each head: head_dim, or Phi-3's {@code partial_rotary_factor} of it. */
    public int rotaryDim() {
        return RotaryTables.rotaryDim(config);
    }

    /**
     * Rotary tables of {@code layer} as {cos, sin}, {@code [position][rotaryDim / 2]}, or null for a layer
     * without positions (SmolLM3 NoPE). Computed once per model and shape ({@link RotaryTables}) and shared by
     * every session: read-only.
     */
    public float[][] ropeTables(int layer) {
        return rope.tables(layer);
    }
}
