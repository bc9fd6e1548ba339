package io.jneuron.core.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The decoding defaults of a model's {@code generation_config.json}, as transformers' {@code GenerationConfig} reads
 * them: each field is null when the file does not set it (or there is no file), so the caller can tell the file's
 * value from its own default. eos/pad ids are read by {@link SpecialTokensReader}; {@code eosSet} and {@code padSet}
 * only say whether this file is where they came from.
 */
public record GenerationConfig(Path file, Boolean doSample, Double temperature, Integer topK, Double topP,
                               Double repetitionPenalty, Integer maxNewTokens, Integer maxLength,
                               Integer minNewTokens, boolean eosSet, boolean padSet) {
    public static final GenerationConfig NONE = new GenerationConfig(null, null, null, null, null, null, null, null,
            null, false, false);

    /**
     * Reads {@code dir/generation_config.json}; {@link #NONE} without one.
     *
     * @throws ModelFormatException naming the file, key and value when a value has the wrong type
     */
    public static GenerationConfig read(Path dir) {
        Path file = dir.resolve(SpecialTokensReader.GENERATION_CONFIG);
        if (!Files.isRegularFile(file)) {
            return NONE;
        }
        JsonNode root = Json.readTree(file);
        return new GenerationConfig(file, bool(file, root, "do_sample"), number(file, root, "temperature"),
                integer(file, root, "top_k"), number(file, root, "top_p"), number(file, root, "repetition_penalty"),
                integer(file, root, "max_new_tokens"), integer(file, root, "max_length"),
                integer(file, root, "min_new_tokens"), set(root, "eos_token_id"), set(root, "pad_token_id"));
    }

    private static boolean set(JsonNode root, String key) {
        JsonNode v = root.get(key);
        return v != null && !v.isNull() && !(v.isArray() && v.isEmpty()) && !(v.isNumber() && v.asInt() < 0);
    }

    private static Boolean bool(Path file, JsonNode root, String key) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw new ModelFormatException(file + ": \"" + key + "\" must be true or false, got " + v);
        }
        return v.asBoolean();
    }

    private static Double number(Path file, JsonNode root, String key) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw new ModelFormatException(file + ": \"" + key + "\" must be a number, got " + v);
        }
        return v.asDouble();
    }

    private static Integer integer(Path file, JsonNode root, String key) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new ModelFormatException(file + ": \"" + key + "\" must be an integer, got " + v);
        }
        return v.asInt();
    }
}
