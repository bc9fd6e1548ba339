package io.jneuron.core.backend;

import io.jneuron.core.NeuronKernelException;

/** No backend fits: the message lists every provider with its probe reason. */
public final class BackendUnavailableException extends NeuronKernelException {
    public BackendUnavailableException(String message) {
        super(message);
    }
}
