package io.jneuron.core.backend;

import java.util.Map;
import java.util.Optional;

/**
 * What one kind of device offers: a compiler, a runtime and a whole-model exporter, each present only where the
 * backend can do that here. {@link #capabilities()} declares all three with the reason for each, so callers ask
 * before they use one ({@link Backends#require}) instead of catching a throw. Closing it releases everything
 * it loaded; models it loaded must be closed first.
 */
public interface Backend extends AutoCloseable {
    String name();

    /** Every capability, available or not, with why: the contract the three accessors below keep. */
    Map<Capability, Availability> capabilities();

    /** Present exactly when {@link Capability#COMPILE} is available. */
    Optional<Compiler> compiler();

    /** Present exactly when {@link Capability#RUN} is available. */
    Optional<ModelRuntime> runtime();

    /** Present exactly when {@link Capability#EXPORT} is available. */
    default Optional<ModelExporter> modelExporter() {
        return Optional.empty();
    }

    @Override
    void close();
}
