package io.jneuron.core.shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The static shapes a model is compiled for: batch size, sequence length (prompt plus generated
 * tokens, the KV-cache length), the context buckets and the weight precision. Runtimes see nothing
 * else; every request is checked and padded against this.
 */
public record ShapeSpec(int batchSize, int sequenceLength, BucketPlan buckets, DType dtype) {

    public ShapeSpec {
        BucketPlan.requirePositive("batch_size", batchSize);
        BucketPlan.requirePositive("sequence_length", sequenceLength);
        if (buckets.largest() > sequenceLength) {
            throw new ShapeException("bucket " + buckets.largest() + " exceeds sequence_length " + sequenceLength);
        }
    }

    public static ShapeSpec of(int batchSize, int sequenceLength, DType dtype) {
        return new ShapeSpec(batchSize, sequenceLength, BucketPlan.defaults(sequenceLength), dtype);
    }

    /**
     * Checks one row: {@code promptLength + maxNewTokens <= sequenceLength} (the seeds' rule), and that
     * the prompt is not empty.
     */
    public void checkFits(int promptLength, int maxNewTokens) {
        checkFits(promptLength, maxNewTokens, Integer.MAX_VALUE);
    }

    /**
     * As {@link #checkFits(int, int)}; the suggested --sequence_length never exceeds {@code modelMax}, the
     * model's own limit, and a request beyond that limit says so instead.
     */
    public void checkFits(int promptLength, int maxNewTokens, int modelMax) {
        if (promptLength <= 0) {
            throw new ShapeException("the prompt is empty; give at least one token");
        }
        if (maxNewTokens < 0) {
            throw new ShapeException("max_new_tokens must be >= 0, got " + maxNewTokens);
        }
        long need = (long) promptLength + maxNewTokens;
        if (need > sequenceLength && need > modelMax) {
            throw new ShapeException("prompt of " + promptLength + " tokens + max_new_tokens " + maxNewTokens + " = "
                    + need + " exceeds the model's limit of " + modelMax + " positions; shorten the prompt or lower "
                    + "--max_new_tokens to " + Math.max(0, Math.min(sequenceLength, modelMax) - promptLength) + " or less");
        }
        if (need > sequenceLength) {
            throw new ShapeException("prompt of " + promptLength + " tokens + max_new_tokens " + maxNewTokens + " = "
                    + need + " exceeds the compiled sequence_length " + sequenceLength
                    + "; shorten the prompt, lower --max_new_tokens, or export with --sequence_length "
                    + Math.min(modelMax, Long.highestOneBit(Math.max(1, need - 1)) * 2));
        }
    }

    /**
     * Splits {@code rows} requested rows into runs of the compiled batch size. A smaller last run is
     * padded; more rows than the batch size are split into several runs when {@code allowSplit},
     * refused otherwise.
     */
    public List<BatchRun> planBatches(int rows, boolean allowSplit) {
        BucketPlan.requirePositive("number of prompts", rows);
        if (rows > batchSize && !allowSplit) {
            throw new ShapeException(rows + " prompts exceed the compiled batch_size " + batchSize
                    + "; export with --batch_size " + rows + " or allow splitting into runs of " + batchSize);
        }
        List<BatchRun> runs = new ArrayList<>();
        for (int start = 0; start < rows; start += batchSize) {
            int real = Math.min(batchSize, rows - start);
            runs.add(new BatchRun(start, real, batchSize - real));
        }
        return runs;
    }

    /** One execution at the compiled batch size: {@code realRows} rows from {@code firstRow}, then padding. */
    public record BatchRun(int firstRow, int realRows, int paddingRows) {
    }

    /** Parses {@link #toString()}. */
    public static ShapeSpec parse(String text) {
        Map<String, String> kv = new TreeMap<>();
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new ShapeException("bad shape '" + text + "': expected batch=B,seq=L,buckets=A+B,dtype=D");
            }
            kv.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
        }
        for (String key : List.of("batch", "seq", "buckets", "dtype")) {
            if (!kv.containsKey(key)) {
                throw new ShapeException("bad shape '" + text + "': missing " + key);
            }
        }
        try {
            return new ShapeSpec(Integer.parseInt(kv.get("batch")), Integer.parseInt(kv.get("seq")),
                    BucketPlan.parse(kv.get("buckets")), DType.parse(kv.get("dtype")));
        } catch (NumberFormatException e) {
            throw new ShapeException("bad shape '" + text + "': batch and seq must be integers");
        }
    }

    @Override
    public String toString() {
        return "batch=" + batchSize + ",seq=" + sequenceLength + ",buckets=" + buckets + ",dtype=" + dtype;
    }
}
