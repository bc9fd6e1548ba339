package io.jneuron.core.export;

import io.jneuron.core.shape.ShapeException;

import java.util.List;
import java.util.Map;

/**
 * The shapes each task must be given at export (optimum-neuron's table, spec §5.2), and which tasks
 * jneuron's backends can run. text-generation has defaults for every shape (decoders); encoder tasks
 * must name their static shapes.
 */
public final class TaskShapes {
    public static final String TEXT_GENERATION = "text-generation";

    /** Task families and their mandatory shapes (optimum's INPUT_ARGS). */
    static final Map<String, List<String>> MANDATORY = Map.ofEntries(
            Map.entry(TEXT_GENERATION, List.of()),
            Map.entry("feature-extraction", List.of("batch_size", "sequence_length")),
            Map.entry("fill-mask", List.of("batch_size", "sequence_length")),
            Map.entry("text-classification", List.of("batch_size", "sequence_length")),
            Map.entry("token-classification", List.of("batch_size", "sequence_length")),
            Map.entry("question-answering", List.of("batch_size", "sequence_length")),
            Map.entry("multiple-choice", List.of("batch_size", "sequence_length", "num_choices")),
            Map.entry("text2text-generation", List.of("batch_size", "sequence_length", "num_beams")),
            Map.entry("image-classification", List.of("batch_size", "num_channels", "width", "height")),
            Map.entry("automatic-speech-recognition", List.of("batch_size", "audio_sequence_length")),
            Map.entry("sentence-similarity", List.of("batch_size", "sequence_length")));

    /** Tasks the current backends can compile and run. */
    static final List<String> RUNNABLE = List.of(TEXT_GENERATION);

    private TaskShapes() {
    }

    /**
     * Refuses an unknown task, a task whose mandatory shapes are missing, and a task no backend runs
     * (in that order, so the message is about what the user can change first).
     */
    public static void check(String task, Integer batchSize, Integer sequenceLength) {
        List<String> mandatory = MANDATORY.get(task);
        if (mandatory == null) {
            throw new ShapeException("unknown task '" + task + "'; known tasks: " + MANDATORY.keySet().stream().sorted().toList());
        }
        for (String shape : mandatory) {
            boolean given = switch (shape) {
                case "batch_size" -> batchSize != null;
                case "sequence_length" -> sequenceLength != null;
                default -> false;
            };
            if (!given) {
                throw new ShapeException("task " + task + " needs --" + shape + " (mandatory static shapes: "
                        + String.join(", ", mandatory) + ")");
            }
        }
        if (!RUNNABLE.contains(task)) {
            throw new ShapeException("task " + task + " is not supported yet; jneuron exports " + RUNNABLE
                    + " (GPT-2 and Llama decoders)");
        }
    }
}
