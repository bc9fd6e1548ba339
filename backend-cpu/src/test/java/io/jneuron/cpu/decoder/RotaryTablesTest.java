package io.jneuron.cpu.decoder;

import io.jneuron.core.Settings;
import io.jneuron.core.backend.Backend;
import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.model.Architecture;
import io.jneuron.core.model.Checkpoint;
import io.jneuron.core.shape.BucketPlan;
import io.jneuron.core.shape.DType;
import io.jneuron.core.shape.ShapeSpec;
import io.jneuron.core.testing.TinyModelSpec;
import io.jneuron.core.testing.TinyModels;
import io.jneuron.cpu.CpuBackendProvider;
import io.jneuron.cpu.artifact.ArtifactReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * A loaded decoder computes its rotary tables once: every layer and every session of one shape reads the same
 * arrays, which hold HF's default rule (cos and sin of position / theta^(2i / d)), and another sequence length
 * gets tables of its own length.
 */
class RotaryTablesTest {
    @TempDir
    Path tmp;

    @Test
    void oneSetOfTablesPerShapeHoldingTheDefaultRule() throws Exception {
        DecoderWeights weights = load(Architecture.LLAMA, 64);
        float[][] first = weights.ropeTables(0);
        for (int l = 1; l < weights.layers().size(); l++) {
            assertSame(first, weights.ropeTables(l), "layer " + l);
        }
        assertSame(first, weights.withShape(new ShapeSpec(1, 64, new BucketPlan(List.of(32)), DType.FP32)).ropeTables(0));
        int half = weights.rotaryDim() / 2;
        double theta = weights.config().ropeTheta();
        assertEquals(64 * half, first[0].length);
        for (int p = 0; p < 64; p++) {
            for (int i = 0; i < half; i++) {
                double angle = p / Math.pow(theta, 2.0 * i / weights.rotaryDim());
                assertEquals(Math.cos(angle), first[0][p * half + i], 1e-6, "cos p=" + p + " i=" + i);
                assertEquals(Math.sin(angle), first[1][p * half + i], 1e-6, "sin p=" + p + " i=" + i);
            }
        }
        float[][] shorter = weights.withShape(new ShapeSpec(1, 16, new BucketPlan(List.of(8)), DType.FP32)).ropeTables(0);
        assertNotSame(first, shorter);
        assertEquals(16 * half, shorter[0].length);
    }

    @Test
    void aModelWithoutRotaryPositionsHasNoTables() throws Exception {
        assertNull(load(Architecture.GPT2, 32).ropeTables(0));
    }

    private DecoderWeights load(Architecture architecture, int sequenceLength) throws Exception {
        Path model = tmp.resolve(architecture.name());
        TinyModels.generate(TinyModelSpec.tiny(architecture), model);
        Path artifact = tmp.resolve(architecture.name() + ".cpu");
        ShapeSpec shape = new ShapeSpec(1, sequenceLength, BucketPlan.defaults(sequenceLength), DType.FP32);
        try (Backend backend = new CpuBackendProvider().create(new Settings("cpu", 2))) {
            backend.compiler().orElseThrow().compile(Checkpoint.open(model), shape, artifact, ProgressListener.NONE);
        }
        try (ArtifactReader reader = ArtifactReader.open(artifact)) {
            return DecoderLoader.load(reader);
        }
    }
}
