package io.jneuron.core.cli;

import io.jneuron.core.export.ShapeRequest;
import io.jneuron.core.shape.DType;
import io.jneuron.core.shape.ShapeException;
import picocli.CommandLine.Option;

import java.util.List;

/** The static-shape options shared by commands that may export (names follow optimum-cli). */
final class ShapeOptions {
    @Option(names = "--batch_size", description = "Compiled batch size (default 1 when exporting).")
    Integer batchSize;

    @Option(names = "--sequence_length", description = "Compiled sequence length: prompt + new tokens (default: the model's maximum, at most 1024).")
    Integer sequenceLength;

    @Option(names = "--auto_cast_type", description = "Weight precision: fp32, bf16 or fp16 (default fp32).",
            converter = DTypeConverter.class)
    DType autoCastType;

    @Option(names = "--quantization", description = "Weight-only quantization: int8 (per-channel symmetric scales, "
            + "fp32 activations, a bf16 KV cache; the CPU backend only).")
    String quantization;

    @Option(names = "--buckets", split = ",", description = "Explicit context buckets, e.g. 64,128 (default: powers of two from 128, plus the sequence length).")
    List<Integer> buckets;

    ShapeRequest request() {
        DType dtype = autoCastType;
        if (quantization != null) {
            if (!quantization.trim().equalsIgnoreCase("int8")) {
                throw new ShapeException("unknown --quantization '" + quantization + "'; the one supported is int8");
            }
            if (autoCastType != null && autoCastType != DType.FP32) {
                throw new ShapeException("--quantization int8 keeps activations in fp32; drop --auto_cast_type "
                        + autoCastType);
            }
            dtype = DType.INT8;
        }
        return new ShapeRequest(batchSize, sequenceLength, dtype, buckets);
    }

    static final class DTypeConverter implements picocli.CommandLine.ITypeConverter<DType> {
        @Override
        public DType convert(String value) {
            DType d = DType.parse(value);
            if (d == DType.INT8) {
                throw new ShapeException("--auto_cast_type " + value + ": int8 weights are --quantization int8");
            }
            return d;
        }
    }
}
