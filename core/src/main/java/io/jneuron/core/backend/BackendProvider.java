package io.jneuron.core.backend;

import io.jneuron.core.Settings;

/**
 * A backend found through {@link java.util.ServiceLoader}. Lower {@link #rank()} is preferred when
 * the user names none; {@link #probe} must be cheap and must not throw.
 */
public interface BackendProvider {
    String name();

    int rank();

    Availability probe(Settings settings);

    /**
     * Whether this backend can export (compile) here, which may not need the device that running does
     * (Neuron compiles for an {@code --instance_type} without one). Defaults to {@link #probe}.
     */
    default Availability probeExport(Settings settings) {
        return probe(settings);
    }

    Backend create(Settings settings);
}
