package io.jneuron.cpu.llama;

import io.jneuron.core.model.Architecture;
import io.jneuron.core.model.Checkpoint;
import io.jneuron.core.model.DecoderTraits;
import io.jneuron.core.model.ModelConfig;
import io.jneuron.core.shape.DType;
import io.jneuron.cpu.decoder.TensorNames;
import io.jneuron.cpu.decoder.WeightMapping;

import static io.jneuron.cpu.decoder.TensorNames.layer;

/**
 * Llama ({@code LlamaForCausalLM}) and the families that share its tensor names (Mistral, Qwen2/3, Phi-3,
 * Gemma 2/3, Granite, SmolLM3) to packed tensors: q, k and v stacked into one projection, gate and up
 * stacked into one (Phi-3 stores both already fused, gate first), biases where the config says so
 * (Qwen2: q, k, v only), Qwen3/Gemma 3 per-head q/k norms, Gemma's post-attention and pre/post-feedforward
 * norms. Gemma's RMSNorm scales by {@code 1 + weight}: the 1 is added here, once, so the runtime's
 * RMSNorm is the same for every family. nn.Linear weights are already {@code [out, in]}.
 */
public final class LlamaMapping extends WeightMapping {
    public LlamaMapping(Checkpoint checkpoint, DType dtype) {
        super(checkpoint, dtype);
    }

    @Override
    protected void declare() {
        ModelConfig c = ckpt.config();
        DecoderTraits t = c.traits();
        boolean fused = c.architecture() == Architecture.PHI3;
        int h = c.hiddenSize();
        int hd = c.headDim();
        int q = c.numHeads() * hd;
        int kv = c.numKvHeads() * hd;
        int inter = c.intermediateSize();
        int v = c.vocabSize();
        matrix(TensorNames.TOKEN_EMBEDDING, v, h, () -> read("model.embed_tokens.weight", v, h));
        for (int i = 0; i < c.numLayers(); i++) {
            String l = "model.layers." + i + ".";
            norm(layer(i, "norm1.weight"), l + "input_layernorm.weight", h);
            matrix(layer(i, "qkv.weight"), q + 2 * kv, h, () -> fused ? read(l + "self_attn.qkv_proj.weight", q + 2 * kv, h)
                    : concat(read(l + "self_attn.q_proj.weight", q, h), read(l + "self_attn.k_proj.weight", kv, h),
                    read(l + "self_attn.v_proj.weight", kv, h)));
            matrix(layer(i, "out.weight"), h, q, () -> read(l + "self_attn.o_proj.weight", h, q));
            if (c.attentionBias()) {
                vector(layer(i, "qkv.bias"), q + 2 * kv, () -> concat(read(l + "self_attn.q_proj.bias", q),
                        read(l + "self_attn.k_proj.bias", kv), read(l + "self_attn.v_proj.bias", kv)));
                if (c.architecture() != Architecture.QWEN2) {
                    vector(layer(i, "out.bias"), h, () -> read(l + "self_attn.o_proj.bias", h));
                }
            }
            if (t.qkNorm()) {
                norm(layer(i, "q_norm.weight"), l + "self_attn.q_norm.weight", hd);
                norm(layer(i, "k_norm.weight"), l + "self_attn.k_norm.weight", hd);
            }
            if (t.sandwichNorm()) {
                norm(layer(i, "post_attn_norm.weight"), l + "post_attention_layernorm.weight", h);
                norm(layer(i, "norm2.weight"), l + "pre_feedforward_layernorm.weight", h);
                norm(layer(i, "post_mlp_norm.weight"), l + "post_feedforward_layernorm.weight", h);
            } else {
                norm(layer(i, "norm2.weight"), l + "post_attention_layernorm.weight", h);
            }
            matrix(layer(i, "up.weight"), 2 * inter, h, () -> fused ? read(l + "mlp.gate_up_proj.weight", 2 * inter, h)
                    : concat(read(l + "mlp.gate_proj.weight", inter, h), read(l + "mlp.up_proj.weight", inter, h)));
            matrix(layer(i, "down.weight"), h, inter, () -> read(l + "mlp.down_proj.weight", h, inter));
            if (c.mlpBias()) {
                vector(layer(i, "up.bias"), 2 * inter, () -> concat(read(l + "mlp.gate_proj.bias", inter),
                        read(l + "mlp.up_proj.bias", inter)));
                vector(layer(i, "down.bias"), h, () -> read(l + "mlp.down_proj.bias", h));
            }
        }
        norm(TensorNames.FINAL_NORM_WEIGHT, "model.norm.weight", h);
        if (!c.tieWordEmbeddings()) {
            matrix(TensorNames.LM_HEAD, v, h, () -> read("lm_head.weight", v, h));
        }
    }

    /** An RMSNorm weight, with the family's offset folded in (Gemma: 1 + weight, computed in fp32 as Gemma does). */
    private void norm(String packed, String name, int length) {
        float offset = (float) ckpt.config().traits().normWeightOffset();
        vector(packed, length, () -> {
            float[] w = read(name, length);
            if (offset != 0) {
                for (int k = 0; k < w.length; k++) {
                    w[k] += offset;
                }
            }
            return w;
        });
    }
}
