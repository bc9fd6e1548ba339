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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
            // A session holds 7 activation buffers, and a key and a value array per layer for each chunk of the
            // cache it reached: here one (64 positions).
            int kv = 2 * weights.layers().size();
            assertEquals(kv + 7, pool.size());
            try (DecoderSession session = new DecoderSession(weights, par, pool)) {
                assertEquals(kv, pool.size(), "an activation buffer of the real session's shape was missing from the pool");
                session.prefill(new int[][] {new int[shape.buckets().sizes().get(0)]}, new int[] {3});
                assertEquals(0, pool.size(), "a cache chunk of the real session's shape was missing from the pool");
            }
            assertEquals(kv + 7, pool.size());
        }
    }

    /**
     * A session's work buffers start at the smallest bucket and grow for a larger one: a prefill in the larger
     * bucket gives the logits a session sized for it from the start gives, and the smaller buffers go back to the
     * pool for the next session.
     */
    @Test
    void workBuffersGrowForALargerBucketWithTheSameLogits() throws Exception {
        Path model = tmp.resolve("model");
        TinyModels.generate(TinyModelSpec.tiny(Architecture.LLAMA), model);
        Path artifact = tmp.resolve("model.cpu");
        ShapeSpec shape = new ShapeSpec(1, 64, new BucketPlan(java.util.List.of(8, 32)), DType.FP32);
        try (Backend backend = new CpuBackendProvider().create(new Settings("cpu", 2))) {
            backend.compiler().orElseThrow().compile(Checkpoint.open(model), shape, artifact, ProgressListener.NONE);
        }
        DecoderWeights weights;
        try (ArtifactReader reader = ArtifactReader.open(artifact)) {
            weights = DecoderLoader.load(reader);
        }
        DecoderWeights onlyLarge = weights.withShape(new ShapeSpec(1, 64, new BucketPlan(java.util.List.of(32)), DType.FP32));
        int[] prompt = new int[32];
        for (int i = 0; i < 20; i++) {
            prompt[i] = (7 * i + 3) % weights.config().vocabSize();
        }
        BufferPool pool = new BufferPool();
        try (Parallel par = new Parallel(2)) {
            float[][] grown;
            float[][] grownStep;
            try (DecoderSession session = new DecoderSession(weights, par, pool)) {
                grown = session.prefill(new int[][] {prompt}, new int[] {20});
                assertEquals(7, pool.size(), "the smallest bucket's 7 work buffers go back to the pool");
                grownStep = session.decode(new int[] {5});
            }
            float[][] sized;
            float[][] sizedStep;
            try (DecoderSession session = new DecoderSession(onlyLarge, par)) {
                sized = session.prefill(new int[][] {prompt}, new int[] {20});
                sizedStep = session.decode(new int[] {5});
            }
            assertArrayEquals(sized[0], grown[0]);
            assertArrayEquals(sizedStep[0], grownStep[0]);
            int kv = 2 * weights.layers().size(); // one chunk of 64 positions
            assertEquals(kv + 7 + 7, pool.size());
            try (DecoderSession session = new DecoderSession(weights, par, pool)) {
                assertEquals(kv + 7, pool.size(), "the next session takes the smallest bucket's buffers");
                session.prefill(new int[][] {new int[8]}, new int[] {4});
                assertEquals(7, pool.size(), "a prefill in the smallest bucket needs no other buffers than its cache");
            }
        }
    }
}
