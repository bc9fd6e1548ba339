package io.jneuron.core.model;

/**
 * Text to token ids and back, as the checkpoint's {@code tokenizer.json} defines it. Implementations
 * are thread-safe; {@link #close()} releases native memory.
 */
public interface TextTokenizer extends AutoCloseable {
    /** Ids for {@code text}; with {@code addSpecialTokens} the tokenizer's template adds BOS etc. */
    int[] encode(String text, boolean addSpecialTokens);

    String decode(int[] ids, boolean skipSpecialTokens);

    SpecialTokens specialTokens();

    @Override
    void close();
}
