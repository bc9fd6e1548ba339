package io.jneuron.core.shape;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ShapeSpecTest {
    @Test
    void defaultBucketsArePowersOfTwoFrom128PlusTheMaximum() {
        assertEquals(List.of(128, 256, 512, 1000), BucketPlan.defaults(1000).sizes());
        assertEquals(List.of(128, 256), BucketPlan.defaults(256).sizes());
        assertEquals(List.of(64), BucketPlan.defaults(64).sizes());
        assertEquals(List.of(128, 129), BucketPlan.defaults(129).sizes());
    }

    @Test
    void explicitBucketsAreSortedDeduplicatedAndCappedByTheSequenceLength() {
        assertEquals(List.of(16, 64, 100), BucketPlan.explicit(List.of(64, 16, 64), 100).sizes());
        ShapeException e = assertThrows(ShapeException.class, () -> BucketPlan.explicit(List.of(300), 256));
        assertEquals("bucket 300 is outside 1..256 (the sequence_length); drop it or export with a larger --sequence_length",
                e.getMessage());
    }

    @Test
    void findPicksTheSmallestBucketThatHoldsThePrompt() {
        BucketPlan plan = BucketPlan.defaults(512);
        assertEquals(128, plan.find(1));
        assertEquals(128, plan.find(128));
        assertEquals(256, plan.find(129));
        assertEquals(512, plan.find(512));
        ShapeException e = assertThrows(ShapeException.class, () -> plan.find(513));
        assertEquals("a prompt of 513 tokens exceeds the largest bucket 512; shorten the prompt or export with a larger "
                + "--sequence_length", e.getMessage());
    }

    @Test
    void promptPlusNewTokensMustFitTheSequenceLength() {
        ShapeSpec s = ShapeSpec.of(1, 256, DType.BF16);
        s.checkFits(200, 56);
        ShapeException e = assertThrows(ShapeException.class, () -> s.checkFits(200, 57));
        assertEquals("prompt of 200 tokens + max_new_tokens 57 = 257 exceeds the compiled sequence_length 256; shorten "
                + "the prompt, lower --max_new_tokens, or export with --sequence_length 512", e.getMessage());
        assertEquals("the prompt is empty; give at least one token",
                assertThrows(ShapeException.class, () -> s.checkFits(0, 1)).getMessage());
    }

    @Test
    void smallerBatchesArePaddedAndLargerOnesSplitOrRefused() {
        ShapeSpec s = ShapeSpec.of(4, 128, DType.FP32);
        assertEquals(List.of(new ShapeSpec.BatchRun(0, 3, 1)), s.planBatches(3, false));
        assertEquals(List.of(new ShapeSpec.BatchRun(0, 4, 0), new ShapeSpec.BatchRun(4, 4, 0),
                new ShapeSpec.BatchRun(8, 2, 2)), s.planBatches(10, true));
        ShapeException e = assertThrows(ShapeException.class, () -> s.planBatches(5, false));
        assertEquals("5 prompts exceed the compiled batch_size 4; export with --batch_size 5 or allow splitting into "
                + "runs of 4", e.getMessage());
    }

    @Test
    void toStringRoundTripsThroughParse() {
        ShapeSpec s = new ShapeSpec(2, 300, BucketPlan.explicit(List.of(32, 128), 300), DType.FP16);
        assertEquals("batch=2,seq=300,buckets=32+128+300,dtype=fp16", s.toString());
        assertEquals(s, ShapeSpec.parse(s.toString()));
        assertThrows(ShapeException.class, () -> ShapeSpec.parse("batch=2,seq=x,buckets=1,dtype=fp32"));
    }

    @Test
    void dtypesParseCliAndTorchNames() {
        assertEquals(DType.BF16, DType.parse("bfloat16"));
        assertEquals(DType.FP32, DType.parse("FP32"));
        assertEquals(DType.INT8, DType.parse("int8"));
        assertEquals("unknown dtype 'int4'; use one of fp32, bf16, fp16 (or --quantization int8)",
                assertThrows(ShapeException.class, () -> DType.parse("int4")).getMessage());
    }
}
