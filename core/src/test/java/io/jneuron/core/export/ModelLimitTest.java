package io.jneuron.core.export;

import io.jneuron.core.model.Architecture;
import io.jneuron.core.model.ModelConfig;
import io.jneuron.core.model.RopeScaling;
import io.jneuron.core.shape.ShapeException;
import io.jneuron.core.shape.ShapeSpec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Shapes are checked against the model's own position limit, and hints stay within it. */
class ModelLimitTest {
    private static ModelConfig llama(int maxPos, RopeScaling rope) {
        return new ModelConfig(Architecture.LLAMA, 300, 64, 1, 4, 4, 16, 128, maxPos, 1e-5, 10000, rope, false, "silu",
                false, false, null);
    }

    @Test
    void sequenceLengthAboveMaxPositionsIsRefusedWithTheLimit() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> new ShapeRequest(1, 1024, null, null).resolve(llama(512, null)));
        assertEquals("sequence_length 1024 exceeds the model's limit of 512 positions (max_position_embeddings in "
                + "config.json); export with --sequence_length 512 or less", e.getMessage());
        assertEquals(512, new ShapeRequest(1, 512, null, null).resolve(llama(512, null)).sequenceLength());
    }

    @Test
    void linearRopeScalingRaisesTheLimit() {
        ModelConfig c = llama(512, new RopeScaling("linear", 2.0, 0, 0, 0));
        assertEquals(1024, new ShapeRequest(1, 1024, null, null).resolve(c).sequenceLength());
        ShapeException e = assertThrows(ShapeException.class, () -> new ShapeRequest(1, 2048, null, null).resolve(c));
        assertEquals("sequence_length 2048 exceeds the model's limit of 1024 positions (max_position_embeddings 512 x "
                + "linear rope_scaling factor 2.0 in config.json); export with --sequence_length 1024 or less",
                e.getMessage());
    }

    @Test
    void theDefaultSequenceLengthNeverExceedsTheModel() {
        assertEquals(300, ShapeRequest.NONE.resolve(llama(300, null)).sequenceLength());
    }

    @Test
    void promptHintsStayWithinTheModel() {
        ShapeSpec shape = ShapeRequest.NONE.resolve(llama(300, null));
        ShapeSpec small = new ShapeRequest(1, 128, null, null).resolve(llama(300, null));
        ShapeException hint = assertThrows(ShapeException.class, () -> small.checkFits(200, 50, 300));
        assertEquals("prompt of 200 tokens + max_new_tokens 50 = 250 exceeds the compiled sequence_length 128; shorten "
                + "the prompt, lower --max_new_tokens, or export with --sequence_length 256", hint.getMessage());
        ShapeException capped = assertThrows(ShapeException.class, () -> small.checkFits(200, 90, 300));
        assertEquals("prompt of 200 tokens + max_new_tokens 90 = 290 exceeds the compiled sequence_length 128; shorten "
                + "the prompt, lower --max_new_tokens, or export with --sequence_length 300", capped.getMessage());
        ShapeException beyond = assertThrows(ShapeException.class, () -> shape.checkFits(250, 100, 300));
        assertEquals("prompt of 250 tokens + max_new_tokens 100 = 350 exceeds the model's limit of 300 positions; "
                + "shorten the prompt or lower --max_new_tokens to 50 or less", beyond.getMessage());
    }

    @Test
    void absurdShapesAreRefusedByTheMemoryPlanNotOverflowed() {
        ModelConfig c = llama(2048, null);
        for (int[] bs : new int[][] {{100_000_000, 1_000_000_000}, {1, 1_000_000_000}, {100_000_000, 128}, {65_536, 65_536}}) {
            ShapeSpec shape = ShapeSpec.of(bs[0], bs[1], io.jneuron.core.shape.DType.FP32);
            for (boolean neuron : new boolean[] {false, true}) {
                MemoryPlan plan = MemoryPlan.of(c, shape, neuron, 1);
                org.junit.jupiter.api.Assertions.assertTrue(plan.perCoreBytes() > 0, "no overflow for " + shape);
                ShapeException e = assertThrows(ShapeException.class, plan::check, shape.toString());
                org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("the plan needs "), e.getMessage());
            }
        }
    }

    @Test
    void anEncoderPlansItsActivationsNotAKvCache() {
        // MiniLM's shape: 6 layers, hidden 384, 12 heads, intermediate 1536, 30522 words, 512 positions.
        ModelConfig bert = new ModelConfig(Architecture.BERT, 30522, 384, 6, 12, 12, 32, 1536, 512, 1e-12, 0, null,
                true, "gelu", true, true, null);
        MemoryPlan plan = MemoryPlan.of(bert, ShapeSpec.of(8, 128, io.jneuron.core.shape.DType.FP32), false, 1);
        assertEquals("activations", plan.stateName());
        // 1024 tokens x (6 x 384 + 1536) floats, worked out by hand
        assertEquals(1024L * (6 * 384 + 1536) * 4, plan.stateBytes());
        // 6 x (4 x 384^2 + 2 x 384 x 1536) + (30522 + 512) x 384 = 22.5 M (biases and norms left out of the estimate)
        assertEquals(6L * (4 * 384 * 384 + 2 * 384 * 1536) + (30522L + 512) * 384, plan.parameters());
        assertEquals("KV cache", MemoryPlan.of(llama(512, null), ShapeSpec.of(1, 64, io.jneuron.core.shape.DType.FP32),
                false, 1).stateName());
    }
}
