package io.jneuron.core.model;

import io.jneuron.core.NeuronKernelException;

/** A checkpoint file that is missing, malformed or unsupported; the message names the file and the value. */
public final class ModelFormatException extends NeuronKernelException {
    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
