package io.jneuron.core.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jneuron.core.model.Architecture;

/**
 * config.json of the Llama-like families, made from the Llama one: each family's class name and keys as
 * its transformers config writes them, with its distinctive features switched on at sizes a tiny model
 * exercises (a sliding window shorter than a 128-token test prompt, soft-caps that bite, multipliers,
 * a NoPE layer, longrope factors).
 */
final class FamilyConfigFiles {
    /** The sliding window of the tiny Mistral, Phi-3 and Gemma models: shorter than the parity prompts. */
    static final int WINDOW = 24;

    private FamilyConfigFiles() {
    }

    static String architectureClass(Architecture a) {
        return switch (a) {
            case GPT2 -> "GPT2LMHeadModel";
            case LLAMA -> "LlamaForCausalLM";
            case MISTRAL -> "MistralForCausalLM";
            case QWEN2 -> "Qwen2ForCausalLM";
            case QWEN3 -> "Qwen3ForCausalLM";
            case PHI3 -> "Phi3ForCausalLM";
            case GEMMA2 -> "Gemma2ForCausalLM";
            case GEMMA3_TEXT -> "Gemma3ForCausalLM";
            case GRANITE -> "GraniteForCausalLM";
            case SMOLLM3 -> "SmolLM3ForCausalLM";
            case BERT, DISTILBERT, ROBERTA, XLM_ROBERTA -> throw new IllegalArgumentException(a.modelType()
                    + " is an encoder; TinyEncoders writes those");
        };
    }

    /** Families whose configs state head_dim, which the tiny preset sets unlike hidden / heads. */
    static boolean explicitHeadDim(Architecture a) {
        return a == Architecture.QWEN3 || a == Architecture.GEMMA2 || a == Architecture.GEMMA3_TEXT;
    }

    /** Phi-3's rotary width: half of each head. */
    static int phi3RotaryDim(TinyModelSpec s) {
        return s.effectiveHeadDim() / 2;
    }

    static ObjectNode family(TinyModelSpec s, ObjectNode c) {
        switch (s.architecture()) {
            case MISTRAL -> {
                drop(c, "attention_bias", "mlp_bias", "pretraining_tp");
                c.put("sliding_window", WINDOW);
            }
            case QWEN2, QWEN3 -> {
                drop(c, "mlp_bias", "pretraining_tp");
                if (s.architecture() == Architecture.QWEN2) {
                    drop(c, "attention_bias");
                }
                c.put("max_window_layers", s.numLayers());
                c.putNull("sliding_window");
                c.put("use_sliding_window", false);
            }
            case PHI3 -> {
                drop(c, "attention_bias", "mlp_bias", "pretraining_tp");
                int original = Math.max(1, s.maxPositions() / 8);
                c.put("original_max_position_embeddings", original);
                c.put("partial_rotary_factor", 0.5);
                c.put("sliding_window", WINDOW);
                ObjectNode r = c.putObject("rope_scaling");
                ArrayNode longF = r.putArray("long_factor");
                ArrayNode shortF = r.putArray("short_factor");
                for (int i = 0; i < phi3RotaryDim(s) / 2; i++) {
                    longF.add(1.0 + 0.75 * i);
                    shortF.add(1.0 + 0.05 * i);
                }
                r.put("type", "longrope");
            }
            case GEMMA2, GEMMA3_TEXT -> {
                drop(c, "mlp_bias", "pretraining_tp");
                c.put("hidden_activation", "gelu_pytorch_tanh");
                c.put("hidden_act", "gelu_pytorch_tanh");
                c.put("query_pre_attn_scalar", 40);
                c.put("sliding_window", WINDOW);
                if (s.architecture() == Architecture.GEMMA2) {
                    // Small caps so that soft-capping changes the tiny model's scores and logits.
                    c.put("attn_logit_softcapping", 0.3);
                    c.put("final_logit_softcapping", 1.0);
                } else {
                    c.putNull("attn_logit_softcapping");
                    c.putNull("final_logit_softcapping");
                    c.put("rope_local_base_freq", TinyModelSpec.ROPE_THETA);
                    c.put("rope_theta", 1_000_000.0);
                    c.put("sliding_window_pattern", 4);
                    ArrayNode types = c.putArray("layer_types");
                    for (int i = 0; i < s.numLayers(); i++) {
                        types.add((i + 1) % 4 != 0 ? "sliding_attention" : "full_attention");
                    }
                }
            }
            case GRANITE -> {
                drop(c, "pretraining_tp");
                c.put("attention_multiplier", 0.0078125);
                c.put("embedding_multiplier", 12.0);
                c.put("logits_scaling", 8.0);
                c.put("residual_multiplier", 0.22);
            }
            case SMOLLM3 -> {
                drop(c, "pretraining_tp");
                ArrayNode noRope = c.putArray("no_rope_layers");
                for (int i = 0; i < s.numLayers(); i++) {
                    noRope.add((i + 1) % 4 != 0 ? 1 : 0);
                }
                c.put("no_rope_layer_interval", 4);
                c.put("use_sliding_window", false);
            }
            case GPT2, LLAMA -> throw new IllegalArgumentException(s.architecture() + " has its own config writer");
        }
        return c;
    }

    private static void drop(ObjectNode c, String... keys) {
        for (String k : keys) {
            c.remove(k);
        }
    }
}
