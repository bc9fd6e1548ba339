package io.jneuron.cpu.decoder;

import io.jneuron.core.shape.ShapeSpec;
import io.jneuron.cpu.artifact.ArtifactReader;
import io.jneuron.cpu.artifact.Manifest;
import io.jneuron.cpu.tensor.PackedMatrix;

import java.util.ArrayList;
import java.util.List;

import static io.jneuron.cpu.decoder.TensorNames.layer;

/** Builds {@link DecoderWeights} from an artifact; optional tensors (biases) are null when absent. */
public final class DecoderLoader {
    private DecoderLoader() {
    }

    public static DecoderWeights load(ArtifactReader r) {
        Manifest m = r.manifest();
        List<LayerWeights> layers = new ArrayList<>();
        for (int i = 0; i < m.config().numLayers(); i++) {
            layers.add(new LayerWeights(
                    r.vector(layer(i, "norm1.weight")), optional(r, layer(i, "norm1.bias")),
                    r.matrix(layer(i, "qkv.weight")), optional(r, layer(i, "qkv.bias")),
                    r.matrix(layer(i, "out.weight")), optional(r, layer(i, "out.bias")),
                    r.vector(layer(i, "norm2.weight")), optional(r, layer(i, "norm2.bias")),
                    r.matrix(layer(i, "up.weight")), optional(r, layer(i, "up.bias")),
                    r.matrix(layer(i, "down.weight")), optional(r, layer(i, "down.bias")),
                    optional(r, layer(i, "q_norm.weight")), optional(r, layer(i, "k_norm.weight")),
                    optional(r, layer(i, "post_attn_norm.weight")), optional(r, layer(i, "post_mlp_norm.weight"))));
        }
        PackedMatrix embedding = r.matrix(TensorNames.TOKEN_EMBEDDING);
        PackedMatrix head = r.has(TensorNames.LM_HEAD) ? r.matrix(TensorNames.LM_HEAD) : embedding;
        return new DecoderWeights(m.config(), ShapeSpec.parse(m.shape()), embedding,
                optional(r, TensorNames.POSITION_EMBEDDING), layers, r.vector(TensorNames.FINAL_NORM_WEIGHT),
                optional(r, TensorNames.FINAL_NORM_BIAS), head);
    }

    private static float[] optional(ArtifactReader r, String name) {
        return r.has(name) ? r.vector(name) : null;
    }
}
