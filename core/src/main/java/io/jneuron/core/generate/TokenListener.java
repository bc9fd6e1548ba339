package io.jneuron.core.generate;

/**
 * Receives each generated token as soon as it is chosen, on the generating thread, in order per row.
 * Rows of one batch interleave step by step. An exception thrown here aborts the generation (the
 * session is closed) and reaches the caller unchanged.
 */
@FunctionalInterface
public interface TokenListener {
    /**
     * @param row       the request's row index (0-based, across split batches)
     * @param tokenId   the token just generated (EOS included)
     * @param textDelta the new complete text it adds to the row's decoded output; may be empty (a
     *                  special token, or the first bytes of a character split across tokens, which
     *                  arrive with the token that completes it); the deltas of a row concatenate to
     *                  its final text. Null when the generator has no tokenizer.
     */
    void onToken(int row, int tokenId, String textDelta);
}
