package io.jneuron.core.export;

import io.jneuron.core.model.Architecture;
import io.jneuron.core.model.Checkpoint;
import io.jneuron.core.model.EncoderConfig;
import io.jneuron.core.model.EncoderHead;
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
    static final List<String> RUNNABLE = List.of(TEXT_GENERATION, "feature-extraction", "text-classification",
            "token-classification", "fill-mask", "question-answering");

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
                    + " (decoders: text-generation; encoders: the others)");
        }
    }

    /** True for the encoder tasks (everything runnable but text-generation). */
    public static boolean isEncoderTask(String task) {
        return RUNNABLE.contains(task) && !task.equals(TEXT_GENERATION);
    }

    /**
     * Refuses a task the checkpoint cannot serve: generation on an encoder, an encoder task on a decoder,
     * or a task whose head the checkpoint lacks (text-classification on a bare BertModel).
     */
    public static void checkModel(String task, Checkpoint ckpt) {
        Architecture a = ckpt.config().architecture();
        if (!a.isEncoder()) {
            if (isEncoderTask(task)) {
                throw new ShapeException("task " + task + " needs an encoder (bert, distilbert, roberta, xlm-roberta); "
                        + ckpt.directory() + " is a " + a.modelType() + " decoder: use --task text-generation");
            }
            return;
        }
        if (task.equals(TEXT_GENERATION)) {
            throw new ShapeException(ckpt.directory() + " is a " + a.modelType() + " encoder, which cannot generate"
                    + " text; give --task feature-extraction (or the task of its head)");
        }
        EncoderHead needed = EncoderHead.forTask(task);
        EncoderConfig enc = EncoderConfig.read(ckpt.directory().resolve(Checkpoint.CONFIG));
        if (needed != null && needed != enc.head()) {
            throw new ShapeException("task " + task + " needs a " + a.modelType() + " checkpoint with a "
                    + needed.classSuffix() + " head, but " + ckpt.directory() + " is "
                    + (enc.headClass().isEmpty() ? "a bare encoder" : enc.headClass())
                    + "; use --task feature-extraction or a checkpoint fine-tuned for " + task);
        }
    }

    /** What a checkpoint serves when no task is given: generation for a decoder, its head's task (or embeddings) for an encoder. */
    public static String defaultTask(Checkpoint ckpt) {
        if (!ckpt.config().architecture().isEncoder()) {
            return TEXT_GENERATION;
        }
        return switch (EncoderConfig.read(ckpt.directory().resolve(Checkpoint.CONFIG)).head()) {
            case NONE -> EncoderHead.FEATURE_EXTRACTION;
            case SEQUENCE_CLASSIFICATION -> "text-classification";
            case TOKEN_CLASSIFICATION -> "token-classification";
            case MASKED_LM -> "fill-mask";
            case QUESTION_ANSWERING -> "question-answering";
        };
    }
}
