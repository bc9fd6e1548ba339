package io.jneuron.core.model;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * One tensor of a safetensors file: its dtype as written ("F32", "F16", "BF16"), shape, and where
 * its bytes are ({@code offset} is absolute in {@code file}).
 */
public record TensorInfo(String name, String dtype, long[] shape, Path file, long offset, long byteLength) {

    public TensorInfo {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int i) {
        return shape[i];
    }

    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && name.equals(t.name) && dtype.equals(t.dtype)
                && Arrays.equals(shape, t.shape) && file.equals(t.file) && offset == t.offset
                && byteLength == t.byteLength;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + shapeString();
    }
}
