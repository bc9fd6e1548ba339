package io.jneuron.core.shape;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The context-encoding buckets of a compiled model: a prompt is padded to the smallest bucket that
 * holds it, so a runtime only ever sees these lengths. Default: powers of two from 128 up to the
 * sequence length, plus the sequence length itself (as transformers-neuronx and NxDI do).
 */
public record BucketPlan(List<Integer> sizes) {
    /** The smallest default bucket; shorter sequence lengths get a single bucket. */
    public static final int MIN_DEFAULT_BUCKET = 128;

    public BucketPlan {
        if (sizes.isEmpty()) {
            throw new ShapeException("a bucket plan needs at least one bucket");
        }
        int previous = 0;
        for (int s : sizes) {
            if (s <= previous) {
                throw new ShapeException("buckets must be positive and strictly increasing, got " + sizes);
            }
            previous = s;
        }
        sizes = List.copyOf(sizes);
    }

    /** Powers of two from 128 below {@code sequenceLength}, then {@code sequenceLength}. */
    public static BucketPlan defaults(int sequenceLength) {
        requirePositive("sequence_length", sequenceLength);
        List<Integer> sizes = new ArrayList<>();
        for (int b = MIN_DEFAULT_BUCKET; b < sequenceLength; b *= 2) {
            sizes.add(b);
        }
        sizes.add(sequenceLength);
        return new BucketPlan(sizes);
    }

    /**
     * An explicit list (any order, duplicates dropped); {@code sequenceLength} is always added as the
     * largest bucket so that every prompt that fits the model fits a bucket.
     */
    public static BucketPlan explicit(List<Integer> requested, int sequenceLength) {
        requirePositive("sequence_length", sequenceLength);
        TreeSet<Integer> set = new TreeSet<>();
        for (int b : requested) {
            if (b <= 0 || b > sequenceLength) {
                throw new ShapeException("bucket " + b + " is outside 1.." + sequenceLength
                        + " (the sequence_length); drop it or export with a larger --sequence_length");
            }
            set.add(b);
        }
        set.add(sequenceLength);
        return new BucketPlan(new ArrayList<>(set));
    }

    /** Parses {@link #toString()}: sizes joined by '+', e.g. {@code 128+256+300}. */
    public static BucketPlan parse(String text) {
        List<Integer> sizes = new ArrayList<>();
        for (String part : text.split("\\+")) {
            try {
                sizes.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw new ShapeException("bad bucket list '" + text + "': expected sizes joined by '+', e.g. 128+256");
            }
        }
        return new BucketPlan(sizes);
    }

    public int largest() {
        return sizes.get(sizes.size() - 1);
    }

    /** The smallest bucket that holds {@code length} tokens. */
    public int find(int length) {
        requirePositive("prompt length", length);
        for (int s : sizes) {
            if (s >= length) {
                return s;
            }
        }
        throw new ShapeException("a prompt of " + length + " tokens exceeds the largest bucket " + largest()
                + "; shorten the prompt or export with a larger --sequence_length");
    }

    static void requirePositive(String what, int value) {
        if (value <= 0) {
            throw new ShapeException(what + " must be positive, got " + value);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int s : sizes) {
            if (sb.length() > 0) {
                sb.append('+');
            }
            sb.append(s);
        }
        return sb.toString();
    }
}
