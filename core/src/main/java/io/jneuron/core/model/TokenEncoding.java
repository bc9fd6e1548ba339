package io.jneuron.core.model;

/**
 * One tokenized text (or text pair) with what pipelines need beyond the ids: token types, character
 * offsets into the input ({@code [starts[i], ends[i])}, both 0 for special tokens), the word each token
 * belongs to (-1 for special tokens), which input of a pair it came from (-1 for special tokens), and
 * the special-token mask.
 */
public record TokenEncoding(int[] ids, int[] typeIds, int[] starts, int[] ends, int[] wordIds, int[] sequenceIds,
                            boolean[] special) {
    public int length() {
        return ids.length;
    }
}
