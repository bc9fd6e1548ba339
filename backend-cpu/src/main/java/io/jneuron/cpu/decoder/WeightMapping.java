package io.jneuron.cpu.decoder;

import io.jneuron.core.model.Checkpoint;
import io.jneuron.core.shape.DType;
import io.jneuron.cpu.artifact.ArtifactWriter.Source;
import io.jneuron.cpu.tensor.PackedMatrix;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Base of the per-architecture mappings from Hugging Face tensor names to the packed tensors of
 * {@link TensorNames}. Subclasses only say which checkpoint tensors go where; reading, transposing,
 * stacking and casting live here. Tensors are produced lazily, one at a time, while the artifact is
 * written.
 */
public abstract class WeightMapping {
    protected final Checkpoint ckpt;
    protected final DType dtype;
    private final List<Source> sources = new ArrayList<>();

    protected WeightMapping(Checkpoint checkpoint, DType dtype) {
        this.ckpt = checkpoint;
        this.dtype = dtype;
    }

    /** Declares every packed tensor through {@link #matrix} and {@link #vector}. */
    protected abstract void declare();

    public final List<Source> sources() {
        if (sources.isEmpty()) {
            declare();
        }
        return List.copyOf(sources);
    }

    protected final void matrix(String name, int rows, int cols, Supplier<float[]> rowMajor) {
        sources.add(Source.matrix(name, dtype, rows, cols, () -> PackedMatrix.pack(dtype, rows, cols, rowMajor.get())));
    }

    protected final void vector(String name, int length, Supplier<float[]> values) {
        sources.add(Source.vector(name, length, values::get));
    }

    /** A checkpoint tensor read as fp32, its shape checked. */
    protected final float[] read(String name, long... shape) {
        return ckpt.readFloats(name, shape);
    }

    /** {@code [rows, cols]} to {@code [cols, rows]}: GPT-2's Conv1D stores {@code [in, out]}. */
    protected static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = m[r * cols + c];
            }
        }
        return t;
    }

    /** Stacks row-major matrices with equal column counts (or vectors) one after another. */
    protected static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
