package io.jneuron.core.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;

/** Normalises a Hugging Face {@code config.json} into a {@link ModelConfig}. */
public final class ConfigReader {
    private ConfigReader() {
    }

    public static ModelConfig read(Path configJson) {
        JsonNode root = Json.readTree(configJson);
        String modelType = root.path("model_type").asText("");
        return switch (modelType) {
            case "gpt2" -> gpt2(configJson, root);
            case "llama" -> llama(configJson, root);
            case "bert", "distilbert", "roberta", "xlm-roberta" -> EncoderConfigReader.read(configJson, root, modelType);
            default -> throw new ModelFormatException(configJson + ": unknown model_type '" + modelType
                    + "'; jneuron runs gpt2, llama, bert, distilbert, roberta and xlm-roberta checkpoints");
        };
    }

    private static ModelConfig gpt2(Path file, JsonNode c) {
        int hidden = positive(file, c, "n_embd");
        int heads = positive(file, c, "n_head");
        checkDivisible(file, "n_embd", hidden, "n_head", heads);
        int inner = c.hasNonNull("n_inner") ? positive(file, c, "n_inner") : 4 * hidden;
        return new ModelConfig(Architecture.GPT2, positive(file, c, "vocab_size"), hidden,
                positive(file, c, "n_layer"), heads, heads, hidden / heads, inner, positive(file, c, "n_positions"),
                number(file, c, "layer_norm_epsilon", 1e-5), 0, null,
                c.path("tie_word_embeddings").asBoolean(true), c.path("activation_function").asText("gelu_new"),
                true, true, dtype(c));
    }

    private static ModelConfig llama(Path file, JsonNode c) {
        int hidden = positive(file, c, "hidden_size");
        int heads = positive(file, c, "num_attention_heads");
        int kvHeads = c.hasNonNull("num_key_value_heads") ? positive(file, c, "num_key_value_heads") : heads;
        if (heads % kvHeads != 0) {
            throw new ModelFormatException(file + ": num_attention_heads " + heads
                    + " is not a multiple of num_key_value_heads " + kvHeads);
        }
        int headDim;
        if (c.hasNonNull("head_dim")) {
            headDim = positive(file, c, "head_dim");
        } else {
            checkDivisible(file, "hidden_size", hidden, "num_attention_heads", heads);
            headDim = hidden / heads;
        }
        if (headDim % 2 != 0) {
            throw new ModelFormatException(file + ": head_dim " + headDim + " must be even for rotary embeddings");
        }
        String act = c.path("hidden_act").asText("silu");
        if (!act.equals("silu")) {
            throw new ModelFormatException(file + ": hidden_act '" + act + "' is not supported; llama uses silu");
        }
        return new ModelConfig(Architecture.LLAMA, positive(file, c, "vocab_size"), hidden,
                positive(file, c, "num_hidden_layers"), heads, kvHeads, headDim, positive(file, c, "intermediate_size"),
                c.hasNonNull("max_position_embeddings") ? positive(file, c, "max_position_embeddings") : 2048,
                number(file, c, "rms_norm_eps", 1e-6), ropeTheta(file, c), ropeScaling(file, c),
                c.path("tie_word_embeddings").asBoolean(false), act,
                c.path("attention_bias").asBoolean(false), c.path("mlp_bias").asBoolean(false), dtype(c));
    }

    /** transformers >= 5 nests rope_theta and the scaling in "rope_parameters"; older configs keep them top-level. */
    private static double ropeTheta(Path file, JsonNode c) {
        JsonNode params = c.path("rope_parameters");
        if (params.isObject() && params.hasNonNull("rope_theta")) {
            return number(file, params, "rope_theta", Double.NaN);
        }
        return number(file, c, "rope_theta", 10000.0);
    }

    private static RopeScaling ropeScaling(Path file, JsonNode c) {
        JsonNode params = c.path("rope_parameters");
        if (params.isObject()) {
            boolean typed = params.hasNonNull("rope_type") || params.hasNonNull("type");
            return typed ? ropeScaling(file, "rope_parameters", params) : null;
        }
        return ropeScaling(file, "rope_scaling", c.path("rope_scaling"));
    }

    /** {@code torch_dtype}, or {@code dtype} as transformers >= 4.56 writes it. */
    static String dtype(JsonNode c) {
        return c.hasNonNull("torch_dtype") ? text(c, "torch_dtype") : text(c, "dtype");
    }

    private static RopeScaling ropeScaling(Path file, String key, JsonNode r) {
        if (r.isMissingNode() || r.isNull()) {
            return null;
        }
        String type = r.hasNonNull("rope_type") ? r.get("rope_type").asText() : r.path("type").asText("");
        switch (type) {
            case "default":
                return null;
            case "linear":
                return new RopeScaling("linear", number(file, r, "factor", Double.NaN), 0, 0, 0);
            case "llama3":
                return new RopeScaling("llama3", number(file, r, "factor", Double.NaN),
                        number(file, r, "low_freq_factor", Double.NaN), number(file, r, "high_freq_factor", Double.NaN),
                        positive(file, r, "original_max_position_embeddings"));
            default:
                throw new ModelFormatException(file + ": " + key + " type '" + type
                        + "' is not supported; jneuron reads linear and llama3");
        }
    }

    static int positive(Path file, JsonNode c, String key) {
        JsonNode v = c.get(key);
        if (v == null || v.isNull()) {
            throw new ModelFormatException(file + ": missing \"" + key + "\"");
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() <= 0) {
            throw new ModelFormatException(file + ": \"" + key + "\" must be a positive integer, got " + v);
        }
        return v.asInt();
    }

    static double number(Path file, JsonNode c, String key, double fallback) {
        JsonNode v = c.get(key);
        if (v == null || v.isNull()) {
            if (Double.isNaN(fallback)) {
                throw new ModelFormatException(file + ": missing \"" + key + "\"");
            }
            return fallback;
        }
        if (!v.isNumber()) {
            throw new ModelFormatException(file + ": \"" + key + "\" must be a number, got " + v);
        }
        return v.asDouble();
    }

    private static String text(JsonNode c, String key) {
        JsonNode v = c.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    static void checkDivisible(Path file, String a, int av, String b, int bv) {
        if (av % bv != 0) {
            throw new ModelFormatException(file + ": " + a + " " + av + " is not a multiple of " + b + " " + bv);
        }
    }
}
