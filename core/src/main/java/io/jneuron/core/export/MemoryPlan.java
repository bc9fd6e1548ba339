package io.jneuron.core.export;

import io.jneuron.core.model.ModelConfig;
import io.jneuron.core.shape.ShapeException;
import io.jneuron.core.shape.ShapeSpec;

import java.util.Locale;

/**
 * What a compiled model will need in memory, checked before any work starts: weights in the cast
 * dtype plus, for a decoder, the static KV cache (fp32 on the CPU runtime, the weight dtype on Neuron),
 * or, for an encoder (which keeps no cache between calls), the fp32 activations of one static
 * {@code batch x sequence} forward pass; per NeuronCore when tensor-parallel. Neuron plans are held to
 * 16 GiB of HBM per core; CPU plans to the JVM's maximum heap, where the CPU runtime keeps its weights.
 *
 * @param stateBytes the KV cache (decoder) or the activations (encoder)
 */
public record MemoryPlan(long parameters, long weightBytes, long stateBytes, boolean encoder, int cores,
                         long budgetBytes, String budgetName) {
    public static final long NEURON_CORE_HBM = 16L << 30;
    /** Work buffers, JIT and the rest of the JVM, kept free on the CPU heap. */
    public static final long CPU_HEADROOM = 256L << 20;

    public static MemoryPlan of(ModelConfig c, ShapeSpec shape, boolean neuron, int cores) {
        long h = c.hiddenSize();
        long q = (long) c.numHeads() * c.headDim();
        long kv = (long) c.numKvHeads() * c.headDim();
        long perLayer = h * (q + 2 * kv) + q * h + h * c.intermediateSize() * (c.architecture().llamaLike() ? 3L : 2L);
        boolean encoder = c.architecture().isEncoder();
        // An encoder has one embedding table (the masked-LM decoder is tied) plus learned positions.
        long params = c.numLayers() * perLayer + (long) c.vocabSize() * h * (c.tieWordEmbeddings() || encoder ? 1 : 2)
                + (encoder ? (long) c.maxPositionEmbeddings() * h : 0);
        long weights = times(params, shape.dtype().bytes());
        // Saturating: an absurd batch or sequence must read as "too large", never wrap to a small or negative size.
        long tokens = times(shape.batchSize(), shape.sequenceLength());
        long state = encoder
                // hidden state, q/k/v, attention output, residual branch and the MLP's inner activation
                ? times(times(tokens, 6 * h + c.intermediateSize()), 4)
                : times(times(times(2L * c.numLayers(), tokens), kv), neuron ? shape.dtype().bytes() : 4);
        long budget = neuron ? NEURON_CORE_HBM : Runtime.getRuntime().maxMemory() - CPU_HEADROOM;
        return new MemoryPlan(params, weights, state, encoder, Math.max(1, cores), budget,
                neuron ? "16 GiB of HBM per NeuronCore" : "the JVM's maximum heap less " + gib(CPU_HEADROOM));
    }

    /** What {@link #stateBytes()} holds: "KV cache" for a decoder, "activations" for an encoder. */
    public String stateName() {
        return encoder ? "activations" : "KV cache";
    }

    /** Bytes each core (or the one CPU heap) must hold. */
    public long perCoreBytes() {
        long total = weightBytes + stateBytes;
        return (total < 0 ? Long.MAX_VALUE : total) / cores;
    }

    private static long times(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }

    public void check() {
        if (perCoreBytes() > budgetBytes) {
            throw new ShapeException(String.format(Locale.ROOT,
                    "the plan needs %s per core (weights %s + %s %s over %d core(s)) but has %s (%s); lower "
                            + "--batch_size or --sequence_length, use --auto_cast_type bf16, or raise --num_cores%s",
                    gib(perCoreBytes()), gib(weightBytes), stateName(), gib(stateBytes), cores, gib(budgetBytes), budgetName,
                    budgetName.startsWith("the JVM") ? " / the JVM heap (-Xmx, JNEURON_JAVA_OPTS)" : ""));
        }
    }

    static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
    }
}
