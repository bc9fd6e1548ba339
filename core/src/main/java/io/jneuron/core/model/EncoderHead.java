package io.jneuron.core.model;

import java.util.List;

/**
 * The task head on top of an encoder, named by the transformers class in {@code architectures}
 * ({@code BertForSequenceClassification} -> {@link #SEQUENCE_CLASSIFICATION}; a bare {@code BertModel}
 * -> {@link #NONE}), and which pipeline tasks each head serves.
 */
public enum EncoderHead {
    NONE("Model", List.of()),
    SEQUENCE_CLASSIFICATION("ForSequenceClassification", List.of("text-classification")),
    TOKEN_CLASSIFICATION("ForTokenClassification", List.of("token-classification")),
    MASKED_LM("ForMaskedLM", List.of("fill-mask")),
    QUESTION_ANSWERING("ForQuestionAnswering", List.of("question-answering"));

    public static final String FEATURE_EXTRACTION = "feature-extraction";

    private final String suffix;
    private final List<String> tasks;

    EncoderHead(String suffix, List<String> tasks) {
        this.suffix = suffix;
        this.tasks = tasks;
    }

    /** The head of a transformers class name; NONE for a bare model or an unknown class. */
    public static EncoderHead ofClass(String className) {
        for (EncoderHead h : values()) {
            if (h != NONE && className != null && className.endsWith(h.suffix)) {
                return h;
            }
        }
        return NONE;
    }

    /** The head a pipeline task needs; null for feature-extraction, which reads the encoder's output alone. */
    public static EncoderHead forTask(String task) {
        for (EncoderHead h : values()) {
            if (h.tasks.contains(task)) {
                return h;
            }
        }
        return null;
    }

    /** The transformers class suffix, e.g. {@code ForSequenceClassification}. */
    public String classSuffix() {
        return suffix;
    }
}
