package io.jneuron.cpu.artifact;

import io.jneuron.core.shape.DType;

/**
 * One tensor in a packed artifact. {@code kind} is "matrix" (a {@link io.jneuron.cpu.tensor.PackedMatrix}
 * in {@code dtype}, {@code rows x cols}) or "vector" (fp32, {@code rows * cols} values). {@code offset}
 * is absolute in the file and 64-byte aligned (a matrix written by this version: on a 4 KiB page, see
 * {@link ArtifactFormat}); {@code length} is in bytes.
 */
public record TensorEntry(String name, String kind, DType dtype, int rows, int cols, long offset, long length) {
    public static final String MATRIX = "matrix";
    public static final String VECTOR = "vector";
}
