package io.jneuron.core.shape;

import io.jneuron.core.NeuronKernelException;

/** A request that does not fit the static shapes a model was compiled for. */
public final class ShapeException extends NeuronKernelException {
    public ShapeException(String message) {
        super(message);
    }
}
