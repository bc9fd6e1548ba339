package io.jneuron.core;

/**
 * The one unchecked root of every jneuron failure. Messages say what failed, the offending value,
 * its context and the next step; callers (CLI, magics) show the message alone and keep stack
 * traces for bugs.
 */
public class NeuronKernelException extends RuntimeException {
    public NeuronKernelException(String message) {
        super(message);
    }

    public NeuronKernelException(String message, Throwable cause) {
        super(message, cause);
    }
}
