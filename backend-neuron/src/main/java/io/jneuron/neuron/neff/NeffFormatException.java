package io.jneuron.neuron.neff;

import io.jneuron.core.NeuronKernelException;

/** A file that is not a NEFF, or a NEFF whose header or payload is damaged. */
public final class NeffFormatException extends NeuronKernelException {
    public NeffFormatException(String message) {
        super(message);
    }
}
