package io.jneuron.core.backend;

import io.jneuron.core.model.EncoderHead;
import io.jneuron.core.shape.ShapeSpec;

/**
 * A loaded encoder: one forward pass over a whole static batch ({@code batch_size x sequence_length}
 * tokens, padding included) and its task head. Inputs are flat row-major {@code [batch, sequence]}
 * arrays; {@code mask} is 1 for a real token and 0 for padding. Used by one thread at a time.
 */
public interface EncoderRunner {
    ShapeSpec shape();

    /** The head the artifact holds ({@link EncoderHead#NONE} for a bare encoder). */
    EncoderHead head();

    int hiddenSize();

    /** Width of the head's output per row: labels, 2 for question answering, vocabulary for fill-mask, 0 without a head. */
    int headWidth();

    /** The last hidden state, {@code [batch * sequence, hidden]}. */
    float[] encode(int[] ids, int[] typeIds, int[] mask);

    /**
     * The head's logits. Sequence classification reads the first token of each sequence and returns
     * {@code [batch, width]}; the per-token heads return {@code [rows.length, width]} for the flat token
     * indices {@code rows} (only the rows a pipeline needs: a vocabulary-wide head is costly).
     */
    float[] head(float[] hidden, int[] rows);
}
