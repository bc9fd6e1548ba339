package io.jneuron.core.export;

import io.jneuron.core.shape.DType;
import io.jneuron.core.shape.ShapeException;

import java.util.Locale;

/**
 * {@code --auto_cast none|matmul|all} with {@code --auto_cast_type}, as optimum-cli takes them (spec
 * optimum-neuron-cache §5.1): {@code none} keeps fp32, {@code matmul}/{@code all} cast to {@code --auto_cast_type}
 * (bf16 when not given). Recorded in the registry entry as optimum records it: {@code auto_cast} null for none,
 * else the given value, so each choice is its own entry. Without {@code --auto_cast} a bf16/fp16
 * {@code --auto_cast_type} means {@code matmul}, which is what the CPU backend does (weights cast, activations fp32).
 *
 * @param recorded the {@code auto_cast} value of the registry entry: null, "matmul" or "all"
 * @param dtype    the precision to compile for
 */
public record AutoCast(String recorded, DType dtype) {
    /** What {@code autoCast} (null when not given) and {@code dtype} (null when not given) mean together. */
    public static AutoCast of(String autoCast, DType dtype) {
        if (autoCast == null) {
            DType d = dtype == null ? DType.FP32 : dtype;
            return new AutoCast(d == DType.BF16 || d == DType.FP16 ? "matmul" : null, d);
        }
        String a = autoCast.trim().toLowerCase(Locale.ROOT);
        switch (a) {
            case "none" -> {
                if (dtype == DType.BF16 || dtype == DType.FP16) {
                    throw new ShapeException("--auto_cast none keeps the weights in fp32; drop --auto_cast_type "
                            + dtype + ", or use --auto_cast matmul");
                }
                return new AutoCast(null, dtype == null ? DType.FP32 : dtype);
            }
            case "matmul", "all" -> {
                if (dtype == DType.FP32) {
                    throw new ShapeException("--auto_cast " + a + " casts to bf16 or fp16, and --auto_cast_type fp32 "
                            + "is no cast; use --auto_cast none, or --auto_cast_type bf16|fp16");
                }
                if (dtype == DType.INT8) {
                    throw new ShapeException("--quantization int8 keeps activations in fp32; drop --auto_cast " + a);
                }
                return new AutoCast(a, dtype == null ? DType.BF16 : dtype);
            }
            default -> throw new ShapeException("--auto_cast '" + autoCast + "' is not one of none, matmul, all");
        }
    }

    /** The {@code auto_cast} a compile for {@code dtype} records when the user chose none ({@code generate} on the fly). */
    public static String implied(DType dtype) {
        return of(null, dtype).recorded();
    }

    /** {@code request} with this precision. */
    ShapeRequest apply(ShapeRequest request) {
        return new ShapeRequest(request.batchSize(), request.sequenceLength(), dtype, request.buckets());
    }
}
