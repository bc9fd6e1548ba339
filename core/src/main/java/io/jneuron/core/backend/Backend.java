package io.jneuron.core.backend;

/** A compiler and a runtime for one kind of device. Closing it releases everything it loaded. */
public interface Backend extends AutoCloseable {
    String name();

    Compiler compiler();

    ModelRuntime runtime();

    /** A whole-model exporter for backends whose compiler cannot take a checkpoint itself; empty by default. */
    default java.util.Optional<ModelExporter> modelExporter() {
        return java.util.Optional.empty();
    }

    @Override
    void close();
}
