package io.jneuron.core.export;

import io.jneuron.core.model.ModelConfig;
import io.jneuron.core.shape.ShapeException;
import io.jneuron.core.shape.ShapeSpec;

import java.util.Locale;

/**
 * What a compiled model will need in memory, checked before any work starts: weights in the cast
 * dtype plus the static KV cache (fp32 on the CPU runtime, the weight dtype on Neuron), per
 * NeuronCore when tensor-parallel. Neuron plans are held to 16 GiB of HBM per core; CPU plans to
 * the JVM's maximum heap, where the CPU runtime keeps its weights.
 */
public record MemoryPlan(long parameters, long weightBytes, long kvCacheBytes, int cores, long budgetBytes,
                         String budgetName) {
    public static final long NEURON_CORE_HBM = 16L << 30;
    /** Work buffers, JIT and the rest of the JVM, kept free on the CPU heap. */
    public static final long CPU_HEADROOM = 256L << 20;

    public static MemoryPlan of(ModelConfig c, ShapeSpec shape, boolean neuron, int cores) {
        long h = c.hiddenSize();
        long q = (long) c.numHeads() * c.headDim();
        long kv = (long) c.numKvHeads() * c.headDim();
        long perLayer = h * (q + 2 * kv) + q * h + h * c.intermediateSize() * (c.architecture().llamaLike() ? 3L : 2L);
        long params = c.numLayers() * perLayer + (long) c.vocabSize() * h * (c.tieWordEmbeddings() ? 1 : 2);
        long weights = times(params, shape.dtype().bytes());
        // Saturating: an absurd batch or sequence must read as "too large", never wrap to a small or negative size.
        long kvBytes = times(times(times(times(2L * c.numLayers(), shape.batchSize()), shape.sequenceLength()), kv),
                neuron ? shape.dtype().bytes() : 4);
        long budget = neuron ? NEURON_CORE_HBM : Runtime.getRuntime().maxMemory() - CPU_HEADROOM;
        return new MemoryPlan(params, weights, kvBytes, Math.max(1, cores), budget,
                neuron ? "16 GiB of HBM per NeuronCore" : "the JVM's maximum heap less " + gib(CPU_HEADROOM));
    }

    /** Bytes each core (or the one CPU heap) must hold. */
    public long perCoreBytes() {
        long total = weightBytes + kvCacheBytes;
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
                    "the plan needs %s per core (weights %s + KV cache %s over %d core(s)) but has %s (%s); lower "
                            + "--batch_size or --sequence_length, use --auto_cast_type bf16, or raise --num_cores%s",
                    gib(perCoreBytes()), gib(weightBytes), gib(kvCacheBytes), cores, gib(budgetBytes), budgetName,
                    budgetName.startsWith("the JVM") ? " / the JVM heap (-Xmx, JNEURON_JAVA_OPTS)" : ""));
        }
    }

    static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
    }
}
