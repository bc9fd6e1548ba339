package io.jneuron.core.shape;

import java.util.Locale;

/**
 * Precision of packed weights ({@code --auto_cast_type}); names follow optimum-neuron. {@link #INT8}
 * is weight-only quantization ({@code --quantization int8}): int8 weights with one fp32 scale per
 * output channel (symmetric), activations in fp32.
 */
public enum DType {
    FP32(4, "float32"),
    BF16(2, "bfloat16"),
    FP16(2, "float16"),
    INT8(1, "int8");

    private final int bytes;
    private final String torchName;

    DType(int bytes, String torchName) {
        this.bytes = bytes;
        this.torchName = torchName;
    }

    public int bytes() {
        return bytes;
    }

    /** The name transformers uses ({@code torch_dtype}). */
    public String torchName() {
        return torchName;
    }

    /** The name {@code --auto_cast_type} uses: fp32, bf16, fp16 (int8 for {@code --quantization int8}). */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Accepts the CLI names (fp32, bf16, fp16) and the torch names (float32, bfloat16, float16). */
    public static DType parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (DType d : values()) {
            if (d.cliName().equals(t) || d.torchName.equals(t)) {
                return d;
            }
        }
        throw new ShapeException("unknown dtype '" + text + "'; use one of fp32, bf16, fp16 (or --quantization int8)");
    }

    @Override
    public String toString() {
        return cliName();
    }
}
