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

    Backend create(Settings settings);
}
