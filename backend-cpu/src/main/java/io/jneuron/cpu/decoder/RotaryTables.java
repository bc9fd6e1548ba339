package io.jneuron.cpu.decoder;

import io.jneuron.core.model.ModelConfig;
import io.jneuron.core.model.RopeScaling;
import io.jneuron.core.shape.ShapeSpec;

/**
 * A decoder's rotary tables for one static shape, computed at load and shared by every session (read-only).
 * A session used to compute them for each layer when it opened: ~0.4M cos and sin calls per generation for a
 * 12-layer, 256-position model, and C2 compiling that code inside the first generation's prefill.
 * At most two kinds: the model's base and scaling, and Gemma 3's unscaled local base for sliding layers.
 */
public final class RotaryTables {
    private final ModelConfig config;
    private final float[][] global;
    private final float[][] local;

    RotaryTables(ModelConfig config, ShapeSpec shape) {
        this.config = config;
        boolean rotary = config.architecture().llamaLike();
        double localTheta = config.traits().localRopeTheta();
        this.global = rotary ? compute(config, shape, config.ropeTheta(), config.ropeScaling()) : null;
        this.local = rotary && localTheta > 0 ? compute(config, shape, localTheta, null) : null;
    }

    /** Width of the rotated part of each head: head_dim, or Phi-3's {@code partial_rotary_factor} of it. */
    static int rotaryDim(ModelConfig config) {
        return (int) (config.headDim() * config.traits().partialRotaryFactor());
    }

    /**
     * Layer {@code layer}'s tables as {cos, sin}, {@code [position][rotaryDim / 2]}, or null for a layer without
     * positions (SmolLM3 NoPE) or a model without rotary positions (GPT-2). Gemma 3's sliding layers use their own
     * unscaled base.
     */
    float[][] tables(int layer) {
        if (global == null || !config.traits().rope(layer)) {
            return null;
        }
        return local != null && config.traits().window(layer) > 0 ? local : global;
    }

    /**
     * Rotary tables computed in double from a base and scaling: HF's default, "linear", "llama3" and
     * "longrope" rules. Longrope picks its long factors when the compiled sequence_length exceeds the
     * original context, for every position (transformers switches by the current length; a static-shape
     * model fixes the choice at export), and scales cos and sin by the attention factor.
     */
    private static float[][] compute(ModelConfig config, ShapeSpec shape, double theta, RopeScaling s) {
        int dim = rotaryDim(config);
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
