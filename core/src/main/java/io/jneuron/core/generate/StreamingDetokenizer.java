package io.jneuron.core.generate;

import io.jneuron.core.model.TextTokenizer;

import java.util.Arrays;

/**
 * Turns a growing list of token ids into text deltas as they arrive. Each {@link #push} returns only
 * new, complete text: trailing U+FFFD (the replacement a decoder shows for a UTF-8 sequence cut short,
 * e.g. one byte-fallback token of a multi-byte character) is held back until a later token completes
 * it. {@link #flush()} returns whatever is still held (a genuine trailing U+FFFD, say). For a
 * tokenizer whose decoding of a longer list extends that of a shorter one, the deltas of all pushes
 * plus the flush concatenate to {@code decode(allIds, true)}.
 *
 * <p>Cost per token is bounded: rather than decode the whole list each time, it decodes a short
 * window that starts one already-emitted step back (the "prefix/read offset" scheme used by text
 * generation servers), so decoders that treat the first token specially (SentencePiece dropping a
 * leading space) see the same context in both decodes and the difference is the true delta.
 * Special tokens are skipped. Not thread-safe; one instance per row.
 */
public final class StreamingDetokenizer {
    private static final char REPLACEMENT = '\uFFFD';

    private final TextTokenizer tokenizer;
    private int[] ids = new int[32];
    private int size;
    /** Window start: tokens before it are emitted and no longer decoded. */
    private int prefixOffset;
    /** Tokens before it were emitted completely; [prefixOffset, readOffset) is the context window. */
    private int readOffset;
    /** Characters past the window's context already emitted while its tail was incomplete. */
    private int emittedInWindow;
    private final StringBuilder emitted = new StringBuilder();

    public StreamingDetokenizer(TextTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Appends {@code id} and returns the text it completes (possibly empty). */
    public String push(int id) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
        }
        ids[size++] = id;
        String context = decode(prefixOffset, readOffset);
        String text = decode(prefixOffset, size);
        if (!text.startsWith(context)) {
            return ""; // the decoder rewrote earlier text; wait, flush() reconciles
        }
        int end = text.length();
        while (end > context.length() && text.charAt(end - 1) == REPLACEMENT) {
            end--;
        }
        int from = context.length() + emittedInWindow;
        String delta = end > from ? text.substring(from, end) : "";
        emittedInWindow += delta.length();
        if (end == text.length()) {
            // Everything up to here is complete: slide the window so decodes stay short.
            prefixOffset = readOffset;
            readOffset = size;
            emittedInWindow = 0;
        }
        emitted.append(delta);
        return delta;
    }

    /** Returns the text not yet emitted, held-back replacement characters included. */
    public String flush() {
        String all = decode(0, size);
        String rest = "";
        if (all.startsWith(emitted.toString())) {
            rest = all.substring(emitted.length());
        } else {
            String context = decode(prefixOffset, readOffset);
            String text = decode(prefixOffset, size);
            int from = context.length() + emittedInWindow;
            if (text.startsWith(context) && text.length() > from) {
                rest = text.substring(from);
            }
        }
        emitted.append(rest);
        // All emitted: slide as after a complete push, keeping the last step as context.
        prefixOffset = readOffset;
        readOffset = size;
        emittedInWindow = 0;
        return rest;
    }

    /** Everything returned so far. */
    public String emitted() {
        return emitted.toString();
    }

    private String decode(int from, int to) {
        return from >= to ? "" : tokenizer.decode(Arrays.copyOfRange(ids, from, to), true);
    }
}
