package io.jneuron.neuron.compiler;

import io.jneuron.core.NeuronKernelException;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A compile that did not produce a usable artifact: the compiler failed, hung past its timeout, was
 * interrupted, or cannot run here. {@link #log()} is where the compiler's output was kept, when there is one.
 */
public final class CompileException extends NeuronKernelException {
    private final transient Path log;

    public CompileException(String message, Path log) {
        super(message);
        this.log = log;
    }

    public CompileException(String message, Path log, Throwable cause) {
        super(message, cause);
        this.log = log;
    }

    /** The log file (a MODULE folder's {@code model.log}, or an export's log), if the failure left one. */
    public Optional<Path> log() {
        return Optional.ofNullable(log);
    }
}
