package io.jneuron.cpu.llama;

import io.jneuron.core.model.Checkpoint;
import io.jneuron.core.model.ModelConfig;
import io.jneuron.core.shape.DType;
import io.jneuron.cpu.decoder.TensorNames;
import io.jneuron.cpu.decoder.WeightMapping;

import static io.jneuron.cpu.decoder.TensorNames.layer;

/**
 * Llama ({@code LlamaForCausalLM}) to packed tensors: q, k and v stacked into one projection, gate
 * and up stacked into one, biases only where {@code attention_bias} / {@code mlp_bias} say so.
 * nn.Linear weights are already {@code [out, in]}.
 */
public final class LlamaMapping extends WeightMapping {
    public LlamaMapping(Checkpoint checkpoint, DType dtype) {
        super(checkpoint, dtype);
    }

    @Override
    protected void declare() {
        ModelConfig c = ckpt.config();
        int h = c.hiddenSize();
        int q = c.numHeads() * c.headDim();
        int kv = c.numKvHeads() * c.headDim();
        int inter = c.intermediateSize();
        int v = c.vocabSize();
        matrix(TensorNames.TOKEN_EMBEDDING, v, h, () -> read("model.embed_tokens.weight", v, h));
        for (int i = 0; i < c.numLayers(); i++) {
            String l = "model.layers." + i + ".";
            vector(layer(i, "norm1.weight"), h, () -> read(l + "input_layernorm.weight", h));
            matrix(layer(i, "qkv.weight"), q + 2 * kv, h, () -> concat(read(l + "self_attn.q_proj.weight", q, h),
                    read(l + "self_attn.k_proj.weight", kv, h), read(l + "self_attn.v_proj.weight", kv, h)));
            matrix(layer(i, "out.weight"), h, q, () -> read(l + "self_attn.o_proj.weight", h, q));
            if (c.attentionBias()) {
                vector(layer(i, "qkv.bias"), q + 2 * kv, () -> concat(read(l + "self_attn.q_proj.bias", q),
                        read(l + "self_attn.k_proj.bias", kv), read(l + "self_attn.v_proj.bias", kv)));
                vector(layer(i, "out.bias"), h, () -> read(l + "self_attn.o_proj.bias", h));
            }
            vector(layer(i, "norm2.weight"), h, () -> read(l + "post_attention_layernorm.weight", h));
            matrix(layer(i, "up.weight"), 2 * inter, h, () -> concat(read(l + "mlp.gate_proj.weight", inter, h),
                    read(l + "mlp.up_proj.weight", inter, h)));
            matrix(layer(i, "down.weight"), h, inter, () -> read(l + "mlp.down_proj.weight", h, inter));
            if (c.mlpBias()) {
                vector(layer(i, "up.bias"), 2 * inter, () -> concat(read(l + "mlp.gate_proj.bias", inter),
                        read(l + "mlp.up_proj.bias", inter)));
                vector(layer(i, "down.bias"), h, () -> read(l + "mlp.down_proj.bias", h));
            }
        }
        vector(TensorNames.FINAL_NORM_WEIGHT, h, () -> read("model.norm.weight", h));
        if (!c.tieWordEmbeddings()) {
            matrix(TensorNames.LM_HEAD, v, h, () -> read("lm_head.weight", v, h));
        }
    }
}
