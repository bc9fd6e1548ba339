package io.jneuron.core.backend;

import java.nio.file.Path;

/** Loads compiled artifacts. */
public interface ModelRuntime {
    /** Loads an artifact written by this backend's compiler; the caller owns and closes the result. */
    LoadedModel load(Path artifact);
}
