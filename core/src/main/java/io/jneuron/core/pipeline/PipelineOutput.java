package io.jneuron.core.pipeline;

import io.jneuron.core.report.Report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One output per input of a pipeline; {@link #json()} has the field names of the {@code --format json} contract. */
public sealed interface PipelineOutput {
    /** This output as its {@code --format json} object. */
    Map<String, Object> json();

    /** feature-extraction: the pooled sentence embedding, or every token's with {@code --pooling none}. */
    record Embedding(int[] inputIds, float[] embedding, float[][] tokenEmbeddings) implements PipelineOutput {
        @Override
        public Map<String, Object> json() {
            Map<String, Object> m = Report.fields("input_ids", Report.list(inputIds));
            if (embedding != null) {
                m.put("embedding", Report.list(embedding));
            }
            if (tokenEmbeddings != null) {
                List<Object> rows = new ArrayList<>();
                for (float[] t : tokenEmbeddings) {
                    rows.add(Report.list(t));
                }
                m.put("token_embeddings", rows);
            }
            return m;
        }
    }

    /** text-classification: the best label, its probability, and every label's. */
    record Classification(String label, double score, Map<String, Double> scores) implements PipelineOutput {
        @Override
        public Map<String, Object> json() {
            return Report.fields("label", label, "score", score, "scores", new LinkedHashMap<>(scores));
        }
    }

    /** token-classification: the entities of one input, as {@link EntityAggregation} makes them. */
    record Entities(List<Entity> entities) implements PipelineOutput {
        @Override
        public Map<String, Object> json() {
            return Report.fields("entities", entities.stream().map(e -> (Object) e.json()).toList());
        }
    }

    /**
     * One entity: {@code index} is the token's position ({@code --aggregation none} only, else null); a
     * {@code group} (simple, first, average, max) is keyed {@code entity_group} as transformers keys it.
     */
    record Entity(String entity, double score, String word, int start, int end, Integer index, boolean group) {
        public Entity(String entity, double score, String word, int start, int end) {
            this(entity, score, word, start, end, null, false);
        }

        Map<String, Object> json() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put(group ? "entity_group" : "entity", entity);
            o.put("score", score);
            if (index != null) {
                o.put("index", index);
            }
            o.put("word", word);
            o.put("start", start);
            o.put("end", end);
            return o;
        }
    }

    /** fill-mask: the top-k tokens for the mask. */
    record FillMask(List<Prediction> predictions) implements PipelineOutput {
        @Override
        public Map<String, Object> json() {
            return Report.fields("predictions", predictions.stream().map(p -> (Object) Report.fields("token", p.token(),
                    "token_str", p.tokenStr(), "score", p.score(), "sequence", p.sequence())).toList());
        }
    }

    record Prediction(int token, String tokenStr, double score, String sequence) {
    }

    /** question-answering: the best span of the context, with character offsets into it. */
    record Answer(String answer, double score, int start, int end) implements PipelineOutput {
        @Override
        public Map<String, Object> json() {
            return Report.fields("answer", answer, "score", score, "start", start, "end", end);
        }
    }
}
