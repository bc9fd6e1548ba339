package io.jneuron.core.backend;

import io.jneuron.core.model.Checkpoint;
import io.jneuron.core.shape.ShapeSpec;

import java.nio.file.Path;

/** Turns a checkpoint and static shapes into an artifact a {@link ModelRuntime} loads. */
public interface Compiler {
    /** Version string recorded in cache folders and registry entries, e.g. {@code 0.1.0}. */
    String version();

    /**
     * Compiles into {@code artifact} (a file the runtime loads). Writes a temp file beside it and moves
     * it into place, so a failure or interrupt leaves nothing half-written. The compile cache records the
     * module around it (entry, digest, {@code model.done}); the artifact file is all a runtime needs.
     */
    void compile(Checkpoint checkpoint, ShapeSpec shape, Path artifact, ProgressListener progress);
}
