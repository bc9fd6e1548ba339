package io.jneuron.core.testing;

import io.jneuron.core.model.Architecture;
import io.jneuron.core.model.Checkpoint;
import io.jneuron.core.model.DecoderTraits;
import io.jneuron.core.model.ModelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tiny families' checkpoints read back with their distinctive features on, under transformers' names. */
class FamilyTinyModelsTest {
    @TempDir
    Path dir;

    private Checkpoint make(Architecture a) {
        return Checkpoint.open(TinyModels.generate(TinyModelSpec.tiny(a).withNumLayers(4), dir.resolve(a.modelType()))
                .directory());
    }

    @Test
    void eachFamilyHasItsFeaturesOn() {
        Checkpoint mistral = make(Architecture.MISTRAL);
        assertEquals(List.of(24, 24, 24, 24), mistral.config().traits().slidingWindows());

        Checkpoint qwen2 = make(Architecture.QWEN2);
        assertTrue(qwen2.config().attentionBias());
        assertTrue(qwen2.has("model.layers.0.self_attn.k_proj.bias"));
        assertFalse(qwen2.has("model.layers.0.self_attn.o_proj.bias"));

        Checkpoint qwen3 = make(Architecture.QWEN3);
        assertEquals(48, qwen3.config().headDim());
        assertTrue(qwen3.config().traits().qkNorm());
        assertArrayEquals(new long[] {48}, qwen3.tensor("model.layers.3.self_attn.q_norm.weight").shape());

        Checkpoint phi3 = make(Architecture.PHI3);
        ModelConfig p = phi3.config();
        assertEquals(0.5, p.traits().partialRotaryFactor());
        assertEquals("longrope", p.ropeScaling().type());
        assertEquals(8, p.ropeScaling().longFactor().size());
        assertEquals(64, p.ropeScaling().originalMaxPositionEmbeddings());
        assertEquals(Math.sqrt(1 + Math.log(8) / Math.log(64)), p.ropeScaling().attentionFactor(), 1e-12);
        assertArrayEquals(new long[] {128 + 2 * 64, 128}, phi3.tensor("model.layers.0.self_attn.qkv_proj.weight").shape());
        assertArrayEquals(new long[] {2 * 344, 128}, phi3.tensor("model.layers.0.mlp.gate_up_proj.weight").shape());

        DecoderTraits g2 = make(Architecture.GEMMA2).config().traits();
        assertEquals(List.of(24, 0, 24, 0), g2.slidingWindows());
        assertEquals(0.3, g2.attnLogitSoftcap());
        assertEquals(1.0, g2.finalLogitSoftcap());
        assertEquals(1 / Math.sqrt(40), g2.attentionScale(), 1e-15);
        assertEquals(Math.sqrt(128), g2.embeddingMultiplier(), 1e-12);
        assertEquals(1.0, g2.normWeightOffset());

        Checkpoint gemma3 = make(Architecture.GEMMA3_TEXT);
        DecoderTraits g3 = gemma3.config().traits();
        assertEquals(List.of(24, 24, 24, 0), g3.slidingWindows());
        assertEquals(10000.0, g3.localRopeTheta());
        assertEquals(1_000_000.0, gemma3.config().ropeTheta());
        assertTrue(g3.qkNorm());
        assertTrue(gemma3.has("model.layers.0.post_feedforward_layernorm.weight"));

        DecoderTraits granite = make(Architecture.GRANITE).config().traits();
        assertEquals(12.0, granite.embeddingMultiplier());
        assertEquals(0.22, granite.residualMultiplier());
        assertEquals(8.0, granite.logitsScaling());
        assertEquals(0.0078125, granite.attentionScale());

        assertEquals(List.of(false, false, false, true), make(Architecture.SMOLLM3).config().traits().noRopeLayers());
    }
}
