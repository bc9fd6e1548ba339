package io.jneuron.core.generate;

/** Time and token counters of one {@link Generator#generate} call, shared by its batch loops. */
final class Meter {
    final long start;
    long prefillNs;
    long decodeNs;
    /** Time inside the listener; subtracted from every phase so slow rendering does not skew rates. */
    long listenerNs;
    long ttftNs = -1;
    long promptTokens;
    long decodeTokens;

    Meter(long start) {
        this.start = start;
    }

    void markFirstToken(long now) {
        if (ttftNs < 0) {
            ttftNs = now - start - listenerNs;
        }
    }

    GenerationResult.Timings timings() {
        return new GenerationResult.Timings(0, ms(Math.max(ttftNs, 0)), ms(prefillNs), ms(decodeNs),
                rate(promptTokens, prefillNs), rate(decodeTokens, decodeNs), promptTokens, decodeTokens);
    }

    private static double ms(long ns) {
        return ns / 1e6;
    }

    private static double rate(long tokens, long ns) {
        return ns <= 0 ? 0 : tokens / (ns / 1e9);
    }
}
