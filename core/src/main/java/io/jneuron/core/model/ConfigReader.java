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
        for (Architecture a : Architecture.values()) {
            if (a.modelType().equals(modelType)) {
                return a == Architecture.GPT2 ? gpt2(configJson, root)
                        : a.isEncoder() ? EncoderConfigReader.read(configJson, root, modelType)
                        : FamilyConfigs.read(configJson, root, a);
            }
        }
        String hint = modelType.equals("gemma3") ? " (for Gemma 3, use a text-only checkpoint: model_type gemma3_text)" : "";
        throw new ModelFormatException(configJson + ": unknown model_type '" + modelType + "'; jneuron runs "
                + String.join(", ", Architecture.modelTypes()) + hint);
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

    static RopeScaling ropeScaling(Path file, JsonNode c) {
        JsonNode params = c.path("rope_parameters");
        if (params.isObject()) {
            boolean typed = params.hasNonNull("rope_type") || params.hasNonNull("type");
            return typed ? ropeScaling(file, "rope_parameters", params, c) : null;
        }
        return ropeScaling(file, "rope_scaling", c.path("rope_scaling"), c);
    }

    /** {@code torch_dtype}, or {@code dtype} as transformers >= 4.56 writes it. */
    static String dtype(JsonNode c) {
        return c.hasNonNull("torch_dtype") ? text(c, "torch_dtype") : text(c, "dtype");
    }

    private static RopeScaling ropeScaling(Path file, String key, JsonNode r, JsonNode c0) {
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
            case "longrope", "su":
                return longrope(file, key, r, c0);
            default:
                throw new ModelFormatException(file + ": " + key + " type '" + type
                        + "' is not supported; jneuron reads linear, llama3 and longrope (su)");
        }
    }

    /**
     * Phi-3's longrope: {@code inv_freq / factor_i} with the long or the short factors, cos and sin scaled by the
     * attention factor, which defaults to sqrt(1 + ln(s) / ln(original)) for s = max_position_embeddings / original
     * (transformers' {@code _compute_longrope_parameters}).
     */
    private static RopeScaling longrope(Path file, String key, JsonNode r, JsonNode c) {
        for (String unsupported : new String[] {"long_mscale", "short_mscale"}) {
            if (r.hasNonNull(unsupported)) {
                throw new ModelFormatException(file + ": " + key + " has \"" + unsupported
                        + "\", which jneuron does not implement (Phi-3 small/MoE); use a Phi-3 mini/medium checkpoint");
            }
        }
        int maxPos = positive(file, c, "max_position_embeddings");
        int original = c.hasNonNull("original_max_position_embeddings")
                ? positive(file, c, "original_max_position_embeddings")
                : r.hasNonNull("original_max_position_embeddings") ? positive(file, r, "original_max_position_embeddings") : maxPos;
        double factor = c.hasNonNull("original_max_position_embeddings") || r.hasNonNull("original_max_position_embeddings")
                ? (double) maxPos / original : number(file, r, "factor", 1.0);
        double attention = r.hasNonNull("attention_factor") ? number(file, r, "attention_factor", 1.0)
                : factor <= 1.0 ? 1.0 : Math.sqrt(1 + Math.log(factor) / Math.log(original));
        return new RopeScaling("longrope", factor, 0, 0, original, doubles(file, r, key, "long_factor"),
                doubles(file, r, key, "short_factor"), attention);
    }

    private static java.util.List<Double> doubles(Path file, JsonNode r, String key, String name) {
        JsonNode a = r.get(name);
        if (a == null || !a.isArray() || a.isEmpty()) {
            throw new ModelFormatException(file + ": " + key + " needs a \"" + name + "\" list of numbers");
        }
        java.util.List<Double> out = new java.util.ArrayList<>();
        for (JsonNode v : a) {
            if (!v.isNumber()) {
                throw new ModelFormatException(file + ": " + key + "." + name + " holds " + v + ", not a number");
            }
            out.add(v.asDouble());
        }
        return out;
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
