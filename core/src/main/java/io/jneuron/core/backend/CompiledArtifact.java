package io.jneuron.core.backend;

import io.jneuron.core.shape.ShapeSpec;

import java.nio.file.Path;

/** A compiled model on disk: which backend made it, where it is, and the static shapes it serves. */
public record CompiledArtifact(String backend, Path path, ShapeSpec shape, long bytes) {
}
