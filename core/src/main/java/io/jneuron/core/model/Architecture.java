package io.jneuron.core.model;

/** The model families jneuron runs, keyed by Hugging Face {@code model_type}: decoders and encoders. */
public enum Architecture {
    GPT2("gpt2", false),
    LLAMA("llama", false),
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

    /** True for the bidirectional encoders (BERT family), which serve pipelines rather than generation. */
    public boolean isEncoder() {
        return encoder;
    }
}
