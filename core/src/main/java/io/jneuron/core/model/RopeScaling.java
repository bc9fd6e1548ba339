package io.jneuron.core.model;

import java.util.List;

/**
 * {@code rope_scaling} of a config. {@code type} is "linear" (positions divided by {@code factor}),
 * "llama3" (frequency-dependent, with the low/high frequency factors and the original context length)
 * or "longrope" (Phi-3's, also written "su": per-frequency {@code long_factor}/{@code short_factor}
 * divisors and a cos/sin {@code attentionFactor}).
 */
public record RopeScaling(String type, double factor, double lowFreqFactor, double highFreqFactor,
                          int originalMaxPositionEmbeddings, List<Double> longFactor, List<Double> shortFactor,
                          double attentionFactor) {
    public RopeScaling {
        longFactor = longFactor == null ? List.of() : List.copyOf(longFactor);
        shortFactor = shortFactor == null ? List.of() : List.copyOf(shortFactor);
    }

    public RopeScaling(String type, double factor, double lowFreqFactor, double highFreqFactor,
                       int originalMaxPositionEmbeddings) {
        this(type, factor, lowFreqFactor, highFreqFactor, originalMaxPositionEmbeddings, List.of(), List.of(), 1.0);
    }
}
