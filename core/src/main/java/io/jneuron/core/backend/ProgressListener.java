package io.jneuron.core.backend;

/** Receives progress of long work (compile, download); {@code fraction} is in [0, 1] or -1 if unknown. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (stage, fraction) -> { };

    void progress(String stage, double fraction);
}
