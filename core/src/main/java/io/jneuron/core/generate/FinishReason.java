package io.jneuron.core.generate;

import java.util.Locale;

/** Why a row stopped: it produced an EOS id, it reached max_new_tokens, or the thread was interrupted. */
public enum FinishReason {
    EOS,
    LENGTH,
    INTERRUPTED;

    /** The lower-case name used in JSON output: eos, length, interrupted. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return wireName();
    }
}
