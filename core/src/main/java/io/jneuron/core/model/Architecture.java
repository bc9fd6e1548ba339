package io.jneuron.core.model;

import java.util.Arrays;
import java.util.List;

/**
 * The decoder families jneuron runs, keyed by Hugging Face {@code model_type}. Every family but GPT-2
 * is a pre-norm RMSNorm decoder with rotary positions and a gated MLP; what sets them apart is data
 * ({@link DecoderTraits}, biases, tensor names), not code paths of their own.
 */
public enum Architecture {
    GPT2("gpt2"),
    LLAMA("llama"),
    MISTRAL("mistral"),
    QWEN2("qwen2"),
    QWEN3("qwen3"),
    PHI3("phi3"),
    GEMMA2("gemma2"),
    GEMMA3_TEXT("gemma3_text"),
    GRANITE("granite"),
    SMOLLM3("smollm3");

    private final String modelType;

    Architecture(String modelType) {
        this.modelType = modelType;
    }

    /** The {@code model_type} value of config.json. */
    public String modelType() {
        return modelType;
    }

    /** Rotary positions, RMSNorm and a gated MLP: every family except GPT-2. */
    public boolean llamaLike() {
        return this != GPT2;
    }

    /** The {@code model_type} values jneuron reads, for error messages. */
    public static List<String> modelTypes() {
        return Arrays.stream(values()).map(Architecture::modelType).toList();
    }
}
