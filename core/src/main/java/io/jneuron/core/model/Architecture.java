package io.jneuron.core.model;

import java.util.Arrays;
import java.util.List;

/**
 * The model families jneuron runs, keyed by Hugging Face {@code model_type}. Every decoder family but
 * GPT-2 is a pre-norm RMSNorm decoder with rotary positions and a gated MLP; what sets them apart is data
 * ({@link DecoderTraits}, biases, tensor names), not code paths of their own. The BERT family are
 * bidirectional encoders, which serve pipelines rather than generation.
 */
public enum Architecture {
    GPT2("gpt2", false),
    LLAMA("llama", false),
    MISTRAL("mistral", false),
    QWEN2("qwen2", false),
    QWEN3("qwen3", false),
    PHI3("phi3", false),
    GEMMA2("gemma2", false),
    GEMMA3_TEXT("gemma3_text", false),
    GRANITE("granite", false),
    SMOLLM3("smollm3", false),
    BERT("bert", true),
    DISTILBERT("distilbert", true),
    ROBERTA("roberta", true),
    XLM_ROBERTA("xlm-roberta", true);

    private final String modelType;
    private final boolean encoder;

    Architecture(String modelType, boolean encoder) {
        this.modelType = modelType;
        this.encoder = encoder;
    }

    /** The {@code model_type} value of config.json. */
    public String modelType() {
        return modelType;
    }

    /** Rotary positions, RMSNorm and a gated MLP: every decoder family except GPT-2. */
    public boolean llamaLike() {
        return this != GPT2 && !encoder;
    }

    /** True for the bidirectional encoders (BERT family), which serve pipelines rather than generation. */
    public boolean isEncoder() {
        return encoder;
    }

    /** The {@code model_type} values jneuron reads, for error messages. */
    public static List<String> modelTypes() {
        return Arrays.stream(values()).map(Architecture::modelType).toList();
    }
}
