package io.jneuron.core.backend;

import java.util.Locale;

/** What a {@link Backend} can do on this machine; each is declared with its {@link Availability}. */
public enum Capability {
    /** Export a whole model through an external tool ({@link Backend#modelExporter()}). */
    EXPORT,
    /** Compile a checkpoint for static shapes into an artifact ({@link Backend#compiler()}). */
    COMPILE,
    /** Load an artifact and decode with it ({@link Backend#runtime()}). */
    RUN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
