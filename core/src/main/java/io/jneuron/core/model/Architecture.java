package io.jneuron.core.model;

/** The decoder families jneuron runs, keyed by Hugging Face {@code model_type}. */
public enum Architecture {
    GPT2("gpt2"),
    LLAMA("llama");

    private final String modelType;

    Architecture(String modelType) {
        this.modelType = modelType;
    }

    /** The {@code model_type} value of config.json. */
    public String modelType() {
        return modelType;
    }
}
