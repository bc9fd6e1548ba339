package io.jneuron.core.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jneuron.core.model.Architecture;
import io.jneuron.core.model.RopeScaling;

import java.nio.file.Path;

/**
 * Writes {@code config.json} and {@code generation_config.json} with the keys transformers writes for
 * GPT2LMHeadModel and LlamaForCausalLM, sorted as its {@code to_json_string} sorts them.
 */
final class ConfigFiles {
    /** The transformers release whose config layout these files follow. */
    static final String TRANSFORMERS_VERSION = "4.44.2";

    private ConfigFiles() {
    }

    static void write(TinyModelSpec spec, Path dir) {
        ObjectNode config = switch (spec.architecture()) {
            case GPT2 -> gpt2(spec);
            case LLAMA -> llama(spec);
            default -> FamilyConfigFiles.family(spec, llama(spec));
        };
        JsonFiles.write(dir.resolve("config.json"), sorted(config));

        ObjectNode gen = JsonFiles.object();
        gen.put("_from_model_config", true);
        gen.put("bos_token_id", TokenizerFiles.bosId(spec.architecture(), spec.vocabSize()));
        gen.put("eos_token_id", TokenizerFiles.eosId(spec.architecture(), spec.vocabSize()));
        gen.put("transformers_version", TRANSFORMERS_VERSION);
        JsonFiles.write(dir.resolve("generation_config.json"), gen);
    }

    private static ObjectNode gpt2(TinyModelSpec s) {
        ObjectNode c = common(s, "GPT2LMHeadModel");
        c.put("activation_function", "gelu_new");
        c.put("attn_pdrop", 0.1);
        c.put("embd_pdrop", 0.1);
        c.put("layer_norm_epsilon", TinyModelSpec.NORM_EPS);
        c.put("n_ctx", s.maxPositions());
        c.put("n_embd", s.hiddenSize());
        c.put("n_head", s.numHeads());
        if (s.intermediateSize() == 4 * s.hiddenSize()) {
            c.putNull("n_inner"); // transformers' way of saying 4 * n_embd
        } else {
            c.put("n_inner", s.intermediateSize());
        }
        c.put("n_layer", s.numLayers());
        c.put("n_positions", s.maxPositions());
        c.put("reorder_and_upcast_attn", false);
        c.put("resid_pdrop", 0.1);
        c.put("scale_attn_by_inverse_layer_idx", false);
        c.put("scale_attn_weights", true);
        c.put("summary_activation", (String) null);
        c.put("summary_first_dropout", 0.1);
        c.put("summary_proj_to_labels", true);
        c.put("summary_type", "cls_index");
        c.put("summary_use_proj", true);
        return c;
    }

    private static ObjectNode llama(TinyModelSpec s) {
        ObjectNode c = common(s, FamilyConfigFiles.architectureClass(s.architecture()));
        c.put("attention_bias", false);
        c.put("attention_dropout", 0.0);
        if (s.headDim() != 0 && (s.headDim() != s.hiddenSize() / s.numHeads()
                || FamilyConfigFiles.explicitHeadDim(s.architecture()))) {
            c.put("head_dim", s.headDim());
        }
        c.put("hidden_act", "silu");
        c.put("hidden_size", s.hiddenSize());
        c.put("intermediate_size", s.intermediateSize());
        c.put("max_position_embeddings", s.maxPositions());
        c.put("mlp_bias", false);
        c.put("num_attention_heads", s.numHeads());
        c.put("num_hidden_layers", s.numLayers());
        c.put("num_key_value_heads", s.numKvHeads());
        c.put("pretraining_tp", 1);
        c.put("rms_norm_eps", TinyModelSpec.NORM_EPS);
        RopeScaling r = s.ropeScalingConfig();
        if (r == null) {
            c.putNull("rope_scaling");
        } else {
            ObjectNode rs = c.putObject("rope_scaling");
            rs.put("factor", r.factor());
            if (r.type().equals("llama3")) {
                rs.put("high_freq_factor", r.highFreqFactor());
                rs.put("low_freq_factor", r.lowFreqFactor());
                rs.put("original_max_position_embeddings", r.originalMaxPositionEmbeddings());
            }
            rs.put("rope_type", r.type());
        }
        c.put("rope_theta", TinyModelSpec.ROPE_THETA);
        return c;
    }

    private static ObjectNode common(TinyModelSpec s, String architectureClass) {
        ObjectNode c = JsonFiles.object();
        c.putArray("architectures").add(architectureClass);
        c.put("bos_token_id", TokenizerFiles.bosId(s.architecture(), s.vocabSize()));
        c.put("eos_token_id", TokenizerFiles.eosId(s.architecture(), s.vocabSize()));
        c.put("initializer_range", 0.02);
        c.put("model_type", s.architecture().modelType());
        c.put("tie_word_embeddings", s.tied());
        c.put("torch_dtype", s.torchDtype());
        c.put("transformers_version", TRANSFORMERS_VERSION);
        c.put("use_cache", true);
        c.put("vocab_size", s.vocabSize());
        return c;
    }

    private static ObjectNode sorted(ObjectNode c) {
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        c.fieldNames().forEachRemaining(names::add);
        ObjectNode out = JsonFiles.object();
        names.forEach(k -> out.set(k, c.get(k)));
        return out;
    }
}
