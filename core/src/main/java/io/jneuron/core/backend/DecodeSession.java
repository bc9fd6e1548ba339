package io.jneuron.core.backend;

/**
 * Per-generation state: the static KV cache for {@code batch_size x sequence_length} and work buffers.
 * Rows are independent; each row tracks its own position. Not thread-safe.
 */
public interface DecodeSession extends AutoCloseable {
    /**
     * Runs context encoding over one bucket: {@code tokens} is {@code [batch_size][bucket]} with each
     * row right-padded after {@code lengths[row]} real tokens. The whole bucket is computed (padding is
     * real work), the KV cache is filled from position 0, and each row's position becomes its length.
     *
     * @return logits {@code [batch_size][vocab]} at each row's last real token
     */
    float[][] prefill(int[][] tokens, int[] lengths);

    /**
     * Appends one token per row at the row's position and advances it.
     *
     * @return logits {@code [batch_size][vocab]} for the next token
     */
    float[][] decode(int[] tokens);

    @Override
    void close();
}
