package io.jneuron.core.model;

/**
 * {@code rope_scaling} of a Llama config. {@code type} is "linear" (positions divided by
 * {@code factor}) or "llama3" (frequency-dependent, with the low/high frequency factors and the
 * original context length).
 */
public record RopeScaling(String type, double factor, double lowFreqFactor, double highFreqFactor,
                          int originalMaxPositionEmbeddings) {
}
