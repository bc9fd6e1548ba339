package io.jneuron.neuron;

import java.util.List;

/**
 * One input or output of a loaded model, as {@code nrt_get_model_tensor_info} reports it.
 *
 * @param name      the name tensor sets are keyed by
 * @param usage     input or output
 * @param size      bytes
 * @param dtypeCode the raw code, whose meaning depends on the runtime release
 * @param dtype     the code read through the table for this runtime, checked against the element size
 * @param shape     dimensions, outermost first
 */
public record TensorInfo(String name, Usage usage, long size, int dtypeCode, Dtype dtype, List<Long> shape) {
    public enum Usage { INPUT, OUTPUT }

    public TensorInfo {
        shape = List.copyOf(shape);
    }

    /** Elements: the product of the shape (1 for a scalar). */
    public long elements() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** Bytes per element derived from size and shape, never from the dtype code; 0 if they do not divide. */
    public long elementSize() {
        return elementSize(size, shape);
    }

    static long elementSize(long size, List<Long> shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n > 0 && size % n == 0 ? size / n : 0;
    }
}
