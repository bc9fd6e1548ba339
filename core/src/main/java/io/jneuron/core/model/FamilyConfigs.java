package io.jneuron.core.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static io.jneuron.core.model.ConfigReader.checkDivisible;
import static io.jneuron.core.model.ConfigReader.dtype;
import static io.jneuron.core.model.ConfigReader.number;
import static io.jneuron.core.model.ConfigReader.positive;

/**
 * The Llama-like families' config.json, with each family's keys and the defaults of its transformers
 * config class (so a key left out means what it means to transformers).
 */
final class FamilyConfigs {
    private FamilyConfigs() {
    }

    /** Defaults that differ between the families' transformers config classes. */
    private record Defaults(String act, double eps, double theta, int maxPos, boolean tied, int headDim) {
    }

    private static Defaults defaults(Architecture a) {
        return switch (a) {
            case LLAMA -> new Defaults("silu", 1e-6, 10000, 2048, false, 0);
            case MISTRAL -> new Defaults("silu", 1e-6, 10000, 4096 * 32, false, 0);
            case QWEN2 -> new Defaults("silu", 1e-6, 10000, 32768, false, 0);
            case QWEN3 -> new Defaults("silu", 1e-6, 10000, 32768, false, 128);
            case PHI3 -> new Defaults("silu", 1e-5, 10000, 4096, false, 0);
            case GEMMA2 -> new Defaults("gelu_pytorch_tanh", 1e-6, 10000, 8192, true, 256);
            case GEMMA3_TEXT -> new Defaults("gelu_pytorch_tanh", 1e-6, 1_000_000, 131072, true, 256);
            case GRANITE -> new Defaults("silu", 1e-6, 10000, 2048, false, 0);
            case SMOLLM3 -> new Defaults("silu", 1e-6, 2_000_000, 32768, true, 0);
            case GPT2, BERT, DISTILBERT, ROBERTA, XLM_ROBERTA -> throw new IllegalArgumentException(a.modelType()
                    + " is not a Llama-like family");
        };
    }

    static ModelConfig read(Path file, JsonNode c, Architecture a) {
        Defaults d = defaults(a);
        int hidden = positive(file, c, "hidden_size");
        int heads = positive(file, c, "num_attention_heads");
        int layers = positive(file, c, "num_hidden_layers");
        int kvHeads = c.hasNonNull("num_key_value_heads") ? positive(file, c, "num_key_value_heads") : heads;
        if (heads % kvHeads != 0) {
            throw new ModelFormatException(file + ": num_attention_heads " + heads
                    + " is not a multiple of num_key_value_heads " + kvHeads);
        }
        int headDim;
        if (c.hasNonNull("head_dim")) {
            headDim = positive(file, c, "head_dim");
        } else if (d.headDim() > 0) {
            headDim = d.headDim();
        } else {
            checkDivisible(file, "hidden_size", hidden, "num_attention_heads", heads);
            headDim = hidden / heads;
        }
        // Gemma names it hidden_activation; older Gemma configs and every other family hidden_act.
        String actKey = c.hasNonNull("hidden_activation") ? "hidden_activation" : "hidden_act";
        String act = c.path(actKey).asText(d.act());
        if (!act.equals("silu") && !act.equals("gelu_pytorch_tanh")) {
            throw new ModelFormatException(file + ": " + actKey + " '" + act + "' is not supported for "
                    + a.modelType() + "; jneuron runs silu and gelu_pytorch_tanh");
        }
        DecoderTraits t = traits(file, c, a, layers, hidden);
        int rotary = (int) (headDim * t.partialRotaryFactor());
        if (rotary % 2 != 0 || rotary <= 0) {
            throw new ModelFormatException(file + ": the rotary width " + rotary + " (head_dim " + headDim
                    + " x partial_rotary_factor " + t.partialRotaryFactor() + ") must be even and positive");
        }
        RopeScaling rope = ConfigReader.ropeScaling(file, c);
        if (rope != null && rope.type().equals("longrope") && (rope.longFactor().size() != rotary / 2
                || rope.shortFactor().size() != rotary / 2)) {
            throw new ModelFormatException(file + ": rope_scaling long_factor/short_factor have "
                    + rope.longFactor().size() + "/" + rope.shortFactor().size() + " entries; the rotary width "
                    + rotary + " needs " + rotary / 2);
        }
        // Qwen2 always biases q, k and v (never o); the others follow attention_bias.
        boolean attentionBias = a == Architecture.QWEN2 || c.path("attention_bias").asBoolean(false);
        boolean mlpBias = c.path("mlp_bias").asBoolean(false);
        return new ModelConfig(a, positive(file, c, "vocab_size"), hidden, layers, heads, kvHeads, headDim,
                positive(file, c, "intermediate_size"),
                c.hasNonNull("max_position_embeddings") ? positive(file, c, "max_position_embeddings") : d.maxPos(),
                number(file, c, "rms_norm_eps", d.eps()), ropeTheta(file, c, d), rope,
                c.path("tie_word_embeddings").asBoolean(d.tied()), act, attentionBias, mlpBias, dtype(c), t);
    }

    private static double ropeTheta(Path file, JsonNode c, Defaults d) {
        JsonNode params = c.path("rope_parameters");
        if (params.isObject() && params.hasNonNull("rope_theta")) {
            return number(file, params, "rope_theta", Double.NaN);
        }
        return number(file, c, "rope_theta", d.theta());
    }

    private static DecoderTraits traits(Path file, JsonNode c, Architecture a, int layers, int hidden) {
        DecoderTraits t = DecoderTraits.NONE;
        switch (a) {
            case LLAMA -> { }
            case MISTRAL -> t = t.withSlidingWindows(uniformWindow(file, c, layers));
            case QWEN2 -> t = t.withSlidingWindows(qwenWindows(file, c, layers));
            case QWEN3 -> t = t.withQkNorm(true).withSlidingWindows(qwenWindows(file, c, layers));
            case PHI3 -> t = t.withPartialRotaryFactor(number(file, c, "partial_rotary_factor", 1.0))
                    .withSlidingWindows(uniformWindow(file, c, layers));
            case GEMMA2 -> t = t.withSlidingWindows(gemmaWindows(file, c, layers, 2, 4096))
                    .withGemma(Math.sqrt(hidden), scale(file, c), number(file, c, "attn_logit_softcapping", 50.0),
                            number(file, c, "final_logit_softcapping", 30.0), 0);
            case GEMMA3_TEXT -> t = t.withQkNorm(true)
                    .withSlidingWindows(gemmaWindows(file, c, layers, c.path("sliding_window_pattern").asInt(6), 4096))
                    .withGemma(Math.sqrt(hidden), scale(file, c), number(file, c, "attn_logit_softcapping", 0),
                            number(file, c, "final_logit_softcapping", 0), number(file, c, "rope_local_base_freq", 10000));
            case GRANITE -> t = t.withGranite(number(file, c, "embedding_multiplier", 1.0),
                    number(file, c, "attention_multiplier", 1.0), number(file, c, "residual_multiplier", 1.0),
                    number(file, c, "logits_scaling", 1.0));
            case SMOLLM3 -> t = t.withNoRopeLayers(noRopeLayers(file, c, layers))
                    .withSlidingWindows(qwenWindows(file, c, layers));
            case GPT2, BERT, DISTILBERT, ROBERTA, XLM_ROBERTA -> throw new IllegalArgumentException(a.modelType()
                    + " is not a Llama-like family");
        }
        return t;
    }

    /** Gemma scales queries by query_pre_attn_scalar^-0.5 instead of head_dim^-0.5. */
    private static double scale(Path file, JsonNode c) {
        return 1.0 / Math.sqrt(number(file, c, "query_pre_attn_scalar", 256));
    }

    /** Mistral and Phi-3: every layer slides over {@code sliding_window} keys when it is set. */
    private static List<Integer> uniformWindow(Path file, JsonNode c, int layers) {
        int w = window(file, c, 0);
        return w == 0 ? List.of() : Collections.nCopies(layers, w);
    }

    /**
     * Qwen2/3, SmolLM3: sliding only with {@code use_sliding_window}, then from layer {@code max_window_layers} on
     * (or where {@code layer_types} says so).
     */
    private static List<Integer> qwenWindows(Path file, JsonNode c, int layers) {
        if (!c.path("use_sliding_window").asBoolean(false)) {
            return List.of();
        }
        int w = window(file, c, 4096);
        if (c.path("layer_types").isArray()) {
            return fromLayerTypes(file, c, layers, w);
        }
        int first = c.path("max_window_layers").asInt(28);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            out.add(i >= first ? w : 0);
        }
        return out;
    }

    /** Gemma: {@code layer_types} when written, else every {@code pattern}-th layer is global, the others slide. */
    private static List<Integer> gemmaWindows(Path file, JsonNode c, int layers, int pattern, int fallback) {
        int w = window(file, c, fallback);
        if (c.path("layer_types").isArray()) {
            return fromLayerTypes(file, c, layers, w);
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            out.add((i + 1) % pattern != 0 ? w : 0);
        }
        return out;
    }

    private static List<Integer> fromLayerTypes(Path file, JsonNode c, int layers, int w) {
        JsonNode types = c.get("layer_types");
        if (types.size() != layers) {
            throw new ModelFormatException(file + ": layer_types has " + types.size() + " entries for " + layers
                    + " layers");
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode t : types) {
            switch (t.asText()) {
                case "sliding_attention" -> out.add(w);
                case "full_attention" -> out.add(0);
                default -> throw new ModelFormatException(file + ": layer_types entry '" + t.asText()
                        + "' is not supported; jneuron runs sliding_attention and full_attention");
            }
        }
        return out.contains(w) && w > 0 ? out : List.of();
    }

    private static int window(Path file, JsonNode c, int fallback) {
        return c.has("sliding_window") && c.get("sliding_window").isNull() ? 0
                : c.hasNonNull("sliding_window") ? positive(file, c, "sliding_window") : fallback;
    }

    /** SmolLM3: {@code no_rope_layers[i]} is 1 where layer i uses RoPE; by default every 4th layer has none. */
    private static List<Boolean> noRopeLayers(Path file, JsonNode c, int layers) {
        List<Boolean> out = new ArrayList<>();
        JsonNode given = c.get("no_rope_layers");
        if (given != null && given.isArray()) {
            if (given.size() != layers) {
                throw new ModelFormatException(file + ": no_rope_layers has " + given.size() + " entries for "
                        + layers + " layers");
            }
            given.forEach(v -> out.add(v.asInt() == 0));
        } else {
            int interval = c.path("no_rope_layer_interval").asInt(4);
            for (int i = 0; i < layers; i++) {
                out.add((i + 1) % interval == 0);
            }
        }
        return out.contains(true) ? out : List.of();
    }
}
