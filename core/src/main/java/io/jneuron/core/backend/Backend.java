package io.jneuron.core.backend;

/** A compiler and a runtime for one kind of device. Closing it releases everything it loaded. */
public interface Backend extends AutoCloseable {
    String name();

    Compiler compiler();

    ModelRuntime runtime();

    @Override
    void close();
}
