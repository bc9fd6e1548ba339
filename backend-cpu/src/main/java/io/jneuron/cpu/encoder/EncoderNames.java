package io.jneuron.cpu.encoder;

import io.jneuron.core.model.EncoderHead;

import java.util.Locale;

/** Names of an encoder's packed tensors, written by {@link EncoderMapping} and read by {@link EncoderWeights}. */
final class EncoderNames {
    static final String WORD = "encoder.word_embedding";
    static final String POSITION = "encoder.position_embedding";
    static final String TYPE = "encoder.type_embedding";
    static final String EMB_NORM = "encoder.embedding_norm";
    static final String HEAD_DENSE = "head.dense";
    static final String HEAD_NORM = "head.norm";
    static final String HEAD_OUT = "head.out";

    private EncoderNames() {
    }

    static String layer(int i, String part) {
        return "encoder.layers." + i + "." + part;
    }

    /** A one-value marker tensor naming the head (its value is the label count), e.g. {@code head.kind.masked_lm}. */
    static String headKind(EncoderHead head) {
        return "head.kind." + head.name().toLowerCase(Locale.ROOT);
    }
}
