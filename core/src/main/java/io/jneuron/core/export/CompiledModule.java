package io.jneuron.core.export;

import io.jneuron.core.shape.ShapeSpec;

import java.nio.file.Path;

/**
 * A checkpoint compiled for static shapes, as the compile cache holds it: the {@code MODULE_<entry>} folder
 * with the artifact, and the registry entry filed for it. Both {@code export} (which then assembles an
 * output folder) and an on-the-fly {@code generate} (which loads the artifact in place) stop here.
 *
 * @param cache     {@link ExportResult#MISS}, {@link ExportResult#HIT_LOCAL} or {@link ExportResult#HIT_HUB}
 * @param entryFile the canonical registry file written for {@code entry}
 * @param compileMs time spent getting the module (compiling, waiting for another process, or downloading it)
 */
public record CompiledModule(String backend, String compilerVersion, String modelId, String revision, String task,
                             ShapeSpec shape, String entry, Path entryFile, Path module, String artifact, String cache,
                             MemoryPlan memory, double compileMs) {
    public Path artifactPath() {
        return module.resolve(artifact);
    }
}
