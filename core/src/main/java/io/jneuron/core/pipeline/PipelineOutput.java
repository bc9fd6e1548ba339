package io.jneuron.core.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/** One output per input of a pipeline; field names are those of the {@code --format json} contract. */
public sealed interface PipelineOutput {
    /** feature-extraction: the pooled sentence embedding, or every token's with {@code --pooling none}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Embedding(@JsonProperty("input_ids") int[] inputIds, float[] embedding,
                     @JsonProperty("token_embeddings") float[][] tokenEmbeddings) implements PipelineOutput {
    }

    /** text-classification: the best label, its probability, and every label's. */
    record Classification(String label, double score, Map<String, Double> scores) implements PipelineOutput {
    }

    /** token-classification: one entity per word whose label is not {@code O}. */
    record Entities(List<Entity> entities) implements PipelineOutput {
    }

    record Entity(String entity, double score, String word, int start, int end) {
    }

    /** fill-mask: the top-k tokens for the mask. */
    record FillMask(List<Prediction> predictions) implements PipelineOutput {
    }

    record Prediction(int token, @JsonProperty("token_str") String tokenStr, double score, String sequence) {
    }

    /** question-answering: the best span of the context, with character offsets into it. */
    record Answer(String answer, double score, int start, int end) implements PipelineOutput {
    }
}
