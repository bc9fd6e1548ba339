package io.jneuron.cpu.decoder;

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
        return (int) (config.headDim() * config.traits().partialRotaryFactor());
    }

    /**
     * Rotary tables of {@code layer} as {cos, sin}, {@code [position][rotaryDim / 2]}, or null for a layer
     * without positions (SmolLM3 NoPE). Gemma 3's sliding layers use their own unscaled base.
     */
    public float[][] ropeTables(int layer) {
        if (!config.traits().rope(layer)) {
            return null;
        }
        double local = config.traits().localRopeTheta();
        if (local > 0 && config.traits().window(layer) > 0) {
            return ropeTables(local, null);
        }
        return ropeTables(config.ropeTheta(), config.ropeScaling());
    }

    /**
     * Rotary tables computed in double from a base and scaling: HF's default, "linear", "llama3" and
     * "longrope" rules. Longrope picks its long factors when the compiled sequence_length exceeds the
     * original context, for every position (transformers switches by the current length; a static-shape
     * model fixes the choice at export), and scales cos and sin by the attention factor.
     */
    float[][] ropeTables(double theta, RopeScaling s) {
        int dim = rotaryDim();
        int half = dim / 2;
        double[] inv = new double[half];
        for (int i = 0; i < half; i++) {
            inv[i] = 1.0 / Math.pow(theta, (2.0 * i) / dim);
        }
        double mscale = 1.0;
        if (s != null && s.type().equals("linear")) {
            for (int i = 0; i < half; i++) {
                inv[i] /= s.factor();
            }
        } else if (s != null && s.type().equals("longrope")) {
            java.util.List<Double> ext = shape.sequenceLength() > s.originalMaxPositionEmbeddings()
                    ? s.longFactor() : s.shortFactor();
            for (int i = 0; i < half; i++) {
                inv[i] /= ext.get(i);
            }
            mscale = s.attentionFactor();
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
                cos[p * half + i] = (float) (Math.cos(angle) * mscale);
                sin[p * half + i] = (float) (Math.sin(angle) * mscale);
            }
        }
        return new float[][] {cos, sin};
    }
}
