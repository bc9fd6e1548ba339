package io.jneuron.core.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * The result of a pipeline run: the outputs in input order and the timings ({@code load_ms}: export and
 * load, {@code run_ms}: tokenization, every batch and post-processing, {@code inputs_per_s}).
 */
public record PipelineResult(String task, String backend, int batchSize, int sequenceLength,
                             List<PipelineOutput> outputs, Map<String, Double> timings) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The {@code --format json} document of docs/cli.md. */
    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("task", task);
        n.put("backend", backend);
        n.put("batch_size", batchSize);
        n.put("sequence_length", sequenceLength);
        n.set("outputs", JSON.valueToTree(outputs));
        n.set("timings", JSON.valueToTree(timings));
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the pipeline result", e);
        }
    }
}
