package io.jneuron.core.generate;

import io.jneuron.core.NeuronKernelException;

/**
 * The generating thread was interrupted. The generator checks between steps (before each prefill and
 * each decode step), closes its session and throws this; the thread's interrupt flag is left set for
 * the caller to clear. {@link #partial()} holds what was generated: every row of the runs that had
 * started, rows of the interrupted run marked {@link FinishReason#INTERRUPTED}; rows of runs that never
 * started are absent.
 */
public final class GenerationInterruptedException extends NeuronKernelException {
    private final transient GenerationResult partial;

    public GenerationInterruptedException(String message, GenerationResult partial) {
        super(message);
        this.partial = partial;
    }

    /** The rows generated before the interrupt, with timings so far. */
    public GenerationResult partial() {
        return partial;
    }
}
