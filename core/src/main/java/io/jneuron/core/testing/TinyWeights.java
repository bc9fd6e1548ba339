package io.jneuron.core.testing;

import io.jneuron.core.model.Architecture;
import io.jneuron.core.model.SafetensorsWriter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The tensors of a generated checkpoint, named and shaped exactly as transformers' save_pretrained
 * writes them, with deterministic pseudo-random values.
 *
 * <p>Values are a pure function of (seed, tensor name, element index): a counter-based generator, so
 * tensors can be produced chunk by chunk in any order (streaming, sharding) and always come out the
 * same. Each value is an Irwin-Hall sum of four 16-bit uniforms: bell-shaped, mean 0, unit variance,
 * bounded by about 3.5 sigma, and far cheaper than Gaussian sampling for 100M+ weights.
 */
final class TinyWeights {
    /** HF's initializer_range: the std of embeddings and projections. */
    static final float STD = 0.02f;
    /** Norm weights scatter around 1 so that a kernel ignoring them gives visibly different logits. */
    static final float NORM_STD = 0.05f;
    static final float BIAS_STD = 0.01f;

    /** One tensor: its name, shape and the mean and std of its values. */
    record Plan(String name, long[] shape, float mean, float std) {
        long count() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private TinyWeights() {
    }

    /** Every tensor in state_dict order (embeddings, layers in order, final norm, head). */
    static List<Plan> layout(TinyModelSpec s) {
        return s.architecture() == Architecture.GPT2 ? gpt2(s) : llamaLike(s);
    }

    private static List<Plan> gpt2(TinyModelSpec s) {
        long h = s.hiddenSize();
        long i = s.intermediateSize();
        List<Plan> out = new ArrayList<>();
        out.add(new Plan("transformer.wte.weight", new long[] {s.vocabSize(), h}, 0, STD));
        out.add(new Plan("transformer.wpe.weight", new long[] {s.maxPositions(), h}, 0, STD / 2));
        for (int l = 0; l < s.numLayers(); l++) {
            String p = "transformer.h." + l + ".";
            norm(out, p + "ln_1", h, true);
            // Conv1D stores [in, out], the transpose of nn.Linear.
            linear(out, p + "attn.c_attn", new long[] {h, 3 * h}, 3 * h);
            linear(out, p + "attn.c_proj", new long[] {h, h}, h);
            norm(out, p + "ln_2", h, true);
            linear(out, p + "mlp.c_fc", new long[] {h, i}, i);
            linear(out, p + "mlp.c_proj", new long[] {i, h}, h);
        }
        norm(out, "transformer.ln_f", h, true);
        if (!s.tied()) {
            out.add(new Plan("lm_head.weight", new long[] {s.vocabSize(), h}, 0, STD));
        }
        return out;
    }

    /** Llama's tensors, with each family's extras: biases, q/k norms, Gemma's four norms, Phi-3's fused weights. */
    private static List<Plan> llamaLike(TinyModelSpec s) {
        Architecture a = s.architecture();
        long h = s.hiddenSize();
        long hd = s.effectiveHeadDim();
        long q = s.numHeads() * hd;
        long kv = s.numKvHeads() * hd;
        long i = s.intermediateSize();
        boolean gemma = a == Architecture.GEMMA2 || a == Architecture.GEMMA3_TEXT;
        List<Plan> out = new ArrayList<>();
        out.add(new Plan("model.embed_tokens.weight", new long[] {s.vocabSize(), h}, 0, STD));
        for (int l = 0; l < s.numLayers(); l++) {
            String p = "model.layers." + l + ".";
            norm(out, p + "input_layernorm", h, false);
            // nn.Linear stores [out, in].
            if (a == Architecture.PHI3) {
                out.add(new Plan(p + "self_attn.qkv_proj.weight", new long[] {q + 2 * kv, h}, 0, STD));
            } else {
                out.add(new Plan(p + "self_attn.q_proj.weight", new long[] {q, h}, 0, STD));
                out.add(new Plan(p + "self_attn.k_proj.weight", new long[] {kv, h}, 0, STD));
                out.add(new Plan(p + "self_attn.v_proj.weight", new long[] {kv, h}, 0, STD));
            }
            if (a == Architecture.QWEN2) {
                out.add(new Plan(p + "self_attn.q_proj.bias", new long[] {q}, 0, BIAS_STD * 10));
                out.add(new Plan(p + "self_attn.k_proj.bias", new long[] {kv}, 0, BIAS_STD * 10));
                out.add(new Plan(p + "self_attn.v_proj.bias", new long[] {kv}, 0, BIAS_STD * 10));
            }
            if (a == Architecture.QWEN3 || a == Architecture.GEMMA3_TEXT) {
                norm(out, p + "self_attn.q_norm", hd, false);
                norm(out, p + "self_attn.k_norm", hd, false);
            }
            out.add(new Plan(p + "self_attn.o_proj.weight", new long[] {h, q}, 0, STD));
            norm(out, p + "post_attention_layernorm", h, false);
            if (gemma) {
                norm(out, p + "pre_feedforward_layernorm", h, false);
                norm(out, p + "post_feedforward_layernorm", h, false);
            }
            if (a == Architecture.PHI3) {
                out.add(new Plan(p + "mlp.gate_up_proj.weight", new long[] {2 * i, h}, 0, STD));
            } else {
                out.add(new Plan(p + "mlp.gate_proj.weight", new long[] {i, h}, 0, STD));
                out.add(new Plan(p + "mlp.up_proj.weight", new long[] {i, h}, 0, STD));
            }
            out.add(new Plan(p + "mlp.down_proj.weight", new long[] {h, i}, 0, STD));
        }
        norm(out, "model.norm", h, false);
        if (!s.tied()) {
            out.add(new Plan("lm_head.weight", new long[] {s.vocabSize(), h}, 0, STD));
        }
        return out;
    }

    private static void norm(List<Plan> out, String prefix, long h, boolean bias) {
        out.add(new Plan(prefix + ".weight", new long[] {h}, 1, NORM_STD));
        if (bias) {
            out.add(new Plan(prefix + ".bias", new long[] {h}, 0, BIAS_STD));
        }
    }

    private static void linear(List<Plan> out, String prefix, long[] shape, long outFeatures) {
        out.add(new Plan(prefix + ".weight", shape, 0, STD));
        out.add(new Plan(prefix + ".bias", new long[] {outFeatures}, 0, BIAS_STD));
    }

    /** Adds {@code plan} to {@code writer} with values drawn for {@code seed}. */
    static void add(SafetensorsWriter writer, Plan plan, String dtype, long seed) {
        long tensorSeed = mix(seed * 0x9E3779B97F4A7C15L + fnv1a(plan.name()));
        float mean = plan.mean();
        float std = plan.std();
        writer.add(plan.name(), dtype, plan.shape(), (first, dst, count) -> {
            for (int k = 0; k < count; k++) {
                dst[k] = mean + std * unitValue(tensorSeed, first + k);
            }
        });
    }

    /** Element {@code index} of the stream for {@code tensorSeed}: mean 0, variance 1. */
    static float unitValue(long tensorSeed, long index) {
        long z = mix(tensorSeed + index * 0xD1B54A32D192ED03L);
        long sum = (z & 0xffff) + ((z >>> 16) & 0xffff) + ((z >>> 32) & 0xffff) + (z >>> 48);
        // Four uniforms on [0, 65536): mean 4 * 32767.5, std 65536 * sqrt(4 / 12).
        return (float) ((sum - 131070.0) / 37837.22);
    }

    /** SplitMix64's finalizer: a bijective mix with full avalanche. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A hash of the name that, unlike String.hashCode, uses all 64 bits. */
    private static long fnv1a(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
    }
}
