package io.jneuron.cpu.decoder;

import io.jneuron.core.model.Architecture;
import io.jneuron.core.model.ModelConfig;
import io.jneuron.core.model.RopeScaling;
import io.jneuron.core.shape.ShapeSpec;
import io.jneuron.cpu.tensor.PackedMatrix;

import java.util.List;

/**
 * Everything a decoder needs that never changes after load: weights, the static shapes and the
 * rotary tables. Immutable and shared by every session of a loaded model.
 *
 * @param positionEmbedding GPT-2's learned {@code [maxPositions, hidden]} table (fp32), null for Llama
 * @param lmHead            the output projection; the token embedding itself when tied
 */
public record DecoderWeights(ModelConfig config, ShapeSpec shape, PackedMatrix tokenEmbedding,
                             float[] positionEmbedding, List<LayerWeights> layers, float[] finalNormWeight,
                             float[] finalNormBias, PackedMatrix lmHead) {

    /** The same weights for other static shapes (a warm-up session); nothing is copied. */
    public DecoderWeights withShape(ShapeSpec other) {
        return new DecoderWeights(config, other, tokenEmbedding, positionEmbedding, layers, finalNormWeight,
                finalNormBias, lmHead);
    }

    public boolean rotary() {
        return config.architecture() == Architecture.LLAMA;
    }

    public long weightBytes() {
        long n = tokenEmbedding.bytes() + (lmHead != tokenEmbedding ? lmHead.bytes() : 0);
        for (LayerWeights l : layers) {
            n += l.qkv().bytes() + l.out().bytes() + l.up().bytes() + l.down().bytes();
        }
        return n;
    }

    /**
     * Rotary tables {@code [position][headDim / 2]} as {cos, sin}, computed in double from the
     * config's theta and scaling (HF's default, "linear" and "llama3" rules).
     */
    public float[][] ropeTables() {
        int half = config.headDim() / 2;
        double[] inv = new double[half];
        for (int i = 0; i < half; i++) {
            inv[i] = 1.0 / Math.pow(config.ropeTheta(), (2.0 * i) / config.headDim());
        }
        RopeScaling s = config.ropeScaling();
        if (s != null && s.type().equals("linear")) {
            for (int i = 0; i < half; i++) {
                inv[i] /= s.factor();
            }
        } else if (s != null && s.type().equals("llama3")) {
            double lowWavelen = s.originalMaxPositionEmbeddings() / s.lowFreqFactor();
            double highWavelen = s.originalMaxPositionEmbeddings() / s.highFreqFactor();
            for (int i = 0; i < half; i++) {
                double wavelen = 2 * Math.PI / inv[i];
                if (wavelen > lowWavelen) {
                    inv[i] /= s.factor();
                } else if (wavelen >= highWavelen) {
                    double smooth = (s.originalMaxPositionEmbeddings() / wavelen - s.lowFreqFactor())
                            / (s.highFreqFactor() - s.lowFreqFactor());
                    inv[i] = (1 - smooth) * inv[i] / s.factor() + smooth * inv[i];
                }
            }
        }
        int positions = shape.sequenceLength();
        float[] cos = new float[positions * half];
        float[] sin = new float[positions * half];
        for (int p = 0; p < positions; p++) {
            for (int i = 0; i < half; i++) {
                // HF computes the angle in fp32 (position * inv_freq); the difference is below 1e-7 here.
                double angle = p * inv[i];
                cos[p * half + i] = (float) Math.cos(angle);
                sin[p * half + i] = (float) Math.sin(angle);
            }
        }
        return new float[][] {cos, sin};
    }
}
