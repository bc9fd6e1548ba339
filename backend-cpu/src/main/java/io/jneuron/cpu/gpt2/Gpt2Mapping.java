package io.jneuron.cpu.gpt2;

import io.jneuron.core.model.Checkpoint;
import io.jneuron.core.model.ModelConfig;
import io.jneuron.core.shape.DType;
import io.jneuron.cpu.decoder.TensorNames;
import io.jneuron.cpu.decoder.WeightMapping;

import static io.jneuron.cpu.decoder.TensorNames.layer;

/**
 * GPT-2 ({@code GPT2LMHeadModel}) to packed tensors. Conv1D weights are {@code [in, out]} and are
 * transposed to the kernels' {@code [out, in]}; names may carry a {@code transformer.} prefix or not.
 */
public final class Gpt2Mapping extends WeightMapping {
    public Gpt2Mapping(Checkpoint checkpoint, DType dtype) {
        super(checkpoint, dtype);
    }

    @Override
    protected void declare() {
        ModelConfig c = ckpt.config();
        int h = c.hiddenSize();
        int inner = c.intermediateSize();
        int v = c.vocabSize();
        String p = ckpt.has("transformer.wte.weight") ? "transformer." : "";
        matrix(TensorNames.TOKEN_EMBEDDING, v, h, () -> read(p + "wte.weight", v, h));
        vector(TensorNames.POSITION_EMBEDDING, c.maxPositionEmbeddings() * h,
                () -> read(p + "wpe.weight", c.maxPositionEmbeddings(), h));
        for (int i = 0; i < c.numLayers(); i++) {
            String l = p + "h." + i + ".";
            vector(layer(i, "norm1.weight"), h, () -> read(l + "ln_1.weight", h));
            vector(layer(i, "norm1.bias"), h, () -> read(l + "ln_1.bias", h));
            matrix(layer(i, "qkv.weight"), 3 * h, h, () -> transpose(read(l + "attn.c_attn.weight", h, 3 * h), h, 3 * h));
            vector(layer(i, "qkv.bias"), 3 * h, () -> read(l + "attn.c_attn.bias", 3 * h));
            matrix(layer(i, "out.weight"), h, h, () -> transpose(read(l + "attn.c_proj.weight", h, h), h, h));
            vector(layer(i, "out.bias"), h, () -> read(l + "attn.c_proj.bias", h));
            vector(layer(i, "norm2.weight"), h, () -> read(l + "ln_2.weight", h));
            vector(layer(i, "norm2.bias"), h, () -> read(l + "ln_2.bias", h));
            matrix(layer(i, "up.weight"), inner, h, () -> transpose(read(l + "mlp.c_fc.weight", h, inner), h, inner));
            vector(layer(i, "up.bias"), inner, () -> read(l + "mlp.c_fc.bias", inner));
            matrix(layer(i, "down.weight"), h, inner, () -> transpose(read(l + "mlp.c_proj.weight", inner, h), inner, h));
            vector(layer(i, "down.bias"), h, () -> read(l + "mlp.c_proj.bias", h));
        }
        vector(TensorNames.FINAL_NORM_WEIGHT, h, () -> read(p + "ln_f.weight", h));
        vector(TensorNames.FINAL_NORM_BIAS, h, () -> read(p + "ln_f.bias", h));
        if (!c.tieWordEmbeddings()) {
            matrix(TensorNames.LM_HEAD, v, h, () -> read("lm_head.weight", v, h));
        }
    }
}
