package io.jneuron.core.export;

import io.jneuron.core.model.ModelConfig;
import io.jneuron.core.shape.BucketPlan;
import io.jneuron.core.shape.DType;
import io.jneuron.core.shape.ShapeException;
import io.jneuron.core.shape.ShapeSpec;

import java.util.List;

/**
 * Shapes a user asked for on the command line; null means "not given". Resolved against a checkpoint
 * (defaults fill the gaps) or checked against an exported model (what was given must match).
 */
public record ShapeRequest(Integer batchSize, Integer sequenceLength, DType dtype, List<Integer> buckets) {
    public static final ShapeRequest NONE = new ShapeRequest(null, null, null, null);
    /** Default sequence length when none is given: the model's maximum, capped to keep the KV cache small. */
    public static final int DEFAULT_MAX_SEQUENCE_LENGTH = 1024;

    /**
     * Fills the gaps for {@code config}'s model and refuses a sequence_length beyond the model's limit
     * ({@link ModelConfig#maxSequenceLength()}), naming it.
     */
    public ShapeSpec resolve(ModelConfig config) {
        int max = config.maxSequenceLength();
        if (sequenceLength != null && sequenceLength > max) {
            throw new ShapeException("sequence_length " + sequenceLength + " exceeds the model's limit of " + max
                    + " positions (" + config.maxSequenceLengthKey() + " in config.json); export with --sequence_length "
                    + max + " or less");
        }
        return resolve(max);
    }

    public ShapeSpec resolve(int maxPositions) {
        int seq = sequenceLength != null ? sequenceLength : Math.min(maxPositions, DEFAULT_MAX_SEQUENCE_LENGTH);
        BucketPlan plan = buckets != null ? BucketPlan.explicit(buckets, seq) : BucketPlan.defaults(seq);
        return new ShapeSpec(batchSize != null ? batchSize : 1, seq, plan, dtype != null ? dtype : DType.FP32);
    }

    /** Refuses a request that contradicts what {@code exported} was compiled for. */
    public void checkMatches(ShapeSpec exported, String model) {
        mismatch("batch_size", batchSize, exported.batchSize(), model);
        mismatch("sequence_length", sequenceLength, exported.sequenceLength(), model);
        if (dtype != null && dtype != exported.dtype()) {
            throw new ShapeException(model + " was exported with --auto_cast_type " + exported.dtype() + ", not "
                    + dtype + "; drop the option or re-export with it");
        }
    }

    private static void mismatch(String name, Integer asked, int actual, String model) {
        if (asked != null && asked != actual) {
            throw new ShapeException(model + " was exported with --" + name + " " + actual + ", not " + asked
                    + "; drop the option or re-export with --" + name + " " + asked);
        }
    }
}
