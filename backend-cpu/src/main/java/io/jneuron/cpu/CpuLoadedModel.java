package io.jneuron.cpu;

import io.jneuron.core.backend.DecodeSession;
import io.jneuron.core.backend.LoadedModel;
import io.jneuron.core.model.ModelConfig;
import io.jneuron.core.shape.ShapeSpec;
import io.jneuron.cpu.decoder.BufferPool;
import io.jneuron.cpu.decoder.DecoderSession;
import io.jneuron.cpu.decoder.DecoderWarmup;
import io.jneuron.cpu.decoder.DecoderWeights;
import io.jneuron.cpu.tensor.Parallel;

/** Loaded weights plus the worker pool its sessions share. Sessions must be used one at a time per pool. */
final class CpuLoadedModel implements LoadedModel {
    private final DecoderWeights weights;
    private final Parallel parallel;
    private final BufferPool buffers = new BufferPool();
    private volatile boolean closed;

    CpuLoadedModel(DecoderWeights weights, int threads) {
        this.weights = weights;
        this.parallel = new Parallel(threads);
        try {
            DecoderWarmup.run(weights, parallel, buffers);
        } catch (RuntimeException e) {
            parallel.close();
            throw e;
        }
    }

    @Override
    public ShapeSpec shape() {
        return weights.shape();
    }

    @Override
    public ModelConfig config() {
        return weights.config();
    }

    DecoderWeights weights() {
        return weights;
    }

    @Override
    public long settle() {
        return DecoderWarmup.settle();
    }

    @Override
    public DecodeSession newSession() {
        if (closed) {
            throw new IllegalStateException("CpuLoadedModel is closed");
        }
        return new DecoderSession(weights, parallel, buffers);
    }

    @Override
    public void close() {
        closed = true;
        parallel.close();
    }
}
