package io.jneuron.cpu.decoder;

import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.model.Architecture;
import io.jneuron.core.model.Checkpoint;
import io.jneuron.core.shape.BucketPlan;
import io.jneuron.core.shape.DType;
import io.jneuron.core.shape.ShapeSpec;
import io.jneuron.core.testing.TinyModelSpec;
import io.jneuron.core.testing.TinyModels;
import io.jneuron.core.Settings;
import io.jneuron.core.backend.Backend;
import io.jneuron.cpu.CpuBackendProvider;
import io.jneuron.cpu.artifact.ArtifactReader;
import io.jneuron.cpu.tensor.Parallel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load-time warm-up leaves the first real session's KV cache and activations in the model's pool, so that
 * session allocates nothing (its arrays were promoted out of the young generation during the warm-up, not by
 * the first prefill's collections).
 */
class DecoderWarmupTest {
    @TempDir
    Path tmp;

    @Test
    void theFirstSessionTakesEveryBufferFromTheWarmedPool() throws Exception {
        Path model = tmp.resolve("model");
        TinyModels.generate(TinyModelSpec.tiny(Architecture.LLAMA), model);
        Path artifact = tmp.resolve("model.cpu");
        ShapeSpec shape = new ShapeSpec(1, 64, BucketPlan.defaults(64), DType.FP32);
        try (Backend backend = new CpuBackendProvider().create(new Settings("cpu", 2))) {
            backend.compiler().orElseThrow().compile(Checkpoint.open(model), shape, artifact, ProgressListener.NONE);
        }
        DecoderWeights weights;
        try (ArtifactReader reader = ArtifactReader.open(artifact)) {
            weights = DecoderLoader.load(reader);
        }
        BufferPool pool = new BufferPool();
        try (Parallel par = new Parallel(2)) {
            assertTrue(DecoderWarmup.run(weights, par, pool) >= 1);
            // A session holds a key and a value array per layer plus 7 activation buffers.
            int arrays = 2 * weights.layers().size() + 7;
            assertEquals(arrays, pool.size());
            try (DecoderSession session = new DecoderSession(weights, par, pool)) {
                assertEquals(0, pool.size(), "a buffer of the real session's shape was missing from the pool");
                session.prefill(new int[][] {new int[shape.buckets().sizes().get(0)]}, new int[] {3});
            }
            assertEquals(arrays, pool.size());
        }
    }
}
