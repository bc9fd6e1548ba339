package io.jneuron.cpu.encoder;

import io.jneuron.core.model.EncoderHead;
import io.jneuron.core.model.ModelConfig;
import io.jneuron.core.model.ModelFormatException;
import io.jneuron.core.shape.ShapeSpec;
import io.jneuron.cpu.artifact.ArtifactReader;
import io.jneuron.cpu.tensor.PackedMatrix;

import java.util.ArrayList;
import java.util.List;

/**
 * An encoder's weights in kernel layout, read from an artifact. Immutable. The head's dense / norm
 * tensors are null where the head has none; {@code headOut} is the tied word embedding for fill-mask
 * heads that store no decoder of their own.
 */
record EncoderWeights(ModelConfig config, ShapeSpec shape, EncoderHead head, int labels, PackedMatrix word,
                      float[] position, float[] type, Norm embNorm, List<Layer> layers, Linear headDense,
                      Norm headNorm, Linear headOut) {

    record Norm(float[] weight, float[] bias) {
    }

    record Linear(PackedMatrix weight, float[] bias) {
    }

    record Layer(Linear qkv, Linear out, Norm norm1, Linear up, Linear down, Norm norm2) {
    }

    /** True when {@code r} holds an encoder (rather than a decoder) artifact. */
    static boolean isEncoder(ArtifactReader r) {
        return r.has(EncoderNames.WORD);
    }

    static EncoderWeights load(ArtifactReader r) {
        ModelConfig c = r.manifest().config();
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < c.numLayers(); i++) {
            layers.add(new Layer(linear(r, EncoderNames.layer(i, "qkv")), linear(r, EncoderNames.layer(i, "out")),
                    norm(r, EncoderNames.layer(i, "norm1")), linear(r, EncoderNames.layer(i, "up")),
                    linear(r, EncoderNames.layer(i, "down")), norm(r, EncoderNames.layer(i, "norm2"))));
        }
        EncoderHead head = null;
        int labels = 0;
        for (EncoderHead h : EncoderHead.values()) {
            if (r.has(EncoderNames.headKind(h))) {
                head = h;
                labels = (int) r.vector(EncoderNames.headKind(h))[0];
            }
        }
        if (head == null) {
            throw new ModelFormatException("the artifact names no encoder head; re-export the model");
        }
        PackedMatrix word = r.matrix(EncoderNames.WORD);
        Linear out = null;
        if (r.has(EncoderNames.HEAD_OUT + ".bias")) {
            String w = EncoderNames.HEAD_OUT + ".weight";
            out = new Linear(r.has(w) ? r.matrix(w) : word, r.vector(EncoderNames.HEAD_OUT + ".bias"));
        }
        return new EncoderWeights(c, ShapeSpec.parse(r.manifest().shape()), head, labels, word,
                r.vector(EncoderNames.POSITION), r.has(EncoderNames.TYPE) ? r.vector(EncoderNames.TYPE) : null,
                norm(r, EncoderNames.EMB_NORM), layers,
                r.has(EncoderNames.HEAD_DENSE + ".weight") ? linear(r, EncoderNames.HEAD_DENSE) : null,
                r.has(EncoderNames.HEAD_NORM + ".weight") ? norm(r, EncoderNames.HEAD_NORM) : null, out);
    }

    private static Linear linear(ArtifactReader r, String name) {
        return new Linear(r.matrix(name + ".weight"), r.vector(name + ".bias"));
    }

    private static Norm norm(ArtifactReader r, String name) {
        return new Norm(r.vector(name + ".weight"), r.vector(name + ".bias"));
    }

    /** Positions the table holds (after RoBERTa's offset). */
    int positions() {
        return position.length / config.hiddenSize();
    }
}
