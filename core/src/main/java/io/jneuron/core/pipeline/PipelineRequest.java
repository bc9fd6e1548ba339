package io.jneuron.core.pipeline;

import io.jneuron.core.export.ShapeRequest;

import java.util.List;

/**
 * What {@code pipeline} was asked for.
 *
 * @param inputs     one text per input (question answering takes {@code question} and {@code context} instead)
 * @param topK       fill-mask predictions per input
 * @param pooling    {@code cls}, {@code mean}, {@code none}, or null to follow the model's sentence-transformers files
 * @param truncation cut inputs longer than the compiled sequence instead of refusing them
 * @param aggregation token-classification's entity aggregation (see {@link EntityAggregation}); null is {@code word}
 */
public record PipelineRequest(String task, String model, List<String> inputs, String question, String context,
                              int topK, ShapeRequest shape, String pooling, boolean truncation, String aggregation) {
    public PipelineRequest {
        aggregation = aggregation == null ? "word" : aggregation;
        EntityAggregation.check(aggregation);
    }

    /** Without an aggregation strategy: per-word entities. */
    public PipelineRequest(String task, String model, List<String> inputs, String question, String context, int topK,
                           ShapeRequest shape, String pooling, boolean truncation) {
        this(task, model, inputs, question, context, topK, shape, pooling, truncation, null);
    }

    /** {@code inputs} through {@code task} on an exported folder (or a Hub id of one), with the CLI's defaults. */
    public static PipelineRequest of(String task, String model, List<String> inputs) {
        return new PipelineRequest(task, model, inputs, null, null, 5, ShapeRequest.NONE, null, false, null);
    }
}
