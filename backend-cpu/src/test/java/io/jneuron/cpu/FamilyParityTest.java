package io.jneuron.cpu;

import io.jneuron.core.model.Architecture;
import io.jneuron.core.shape.DType;
import io.jneuron.core.testing.TinyModelSpec;
import io.jneuron.core.testing.TinyModelSpec.RopeScalingType;
import io.jneuron.cpu.ReferenceParityTest.Case;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The decoder families beyond Llama and GPT-2 against the fp64 numpy reference
 * ({@code reference_families.py}, written from each family's transformers modeling code), at every
 * prefill and decode step, with each family's distinctive features switched on by the tiny generator:
 * Qwen2 q/k/v biases, Qwen3 and Gemma 3 q/k norms and head_dim 48 != hidden/heads, Mistral, Phi-3 and
 * Gemma sliding windows of 24 keys under a 128-token prompt, Phi-3's fused weights, partial rotary and
 * longrope, Gemma 2 soft-capping, Gemma 3 local/global rope bases, Granite's multipliers, a SmolLM3
 * NoPE layer.
 */
class FamilyParityTest {
    @TempDir
    Path tmp;

    static Stream<Arguments> cases() {
        int[] mixed = {7, 128};
        TinyModelSpec phi3 = TinyModelSpec.tiny(Architecture.PHI3);
        return Stream.of(
                new Case("mistral sliding window 24", tiny(Architecture.MISTRAL), DType.FP32, mixed, 1e-4),
                new Case("qwen2 qkv biases", tiny(Architecture.QWEN2).withTied(false), DType.FP32, mixed, 1e-4),
                new Case("qwen3 q/k norms, head_dim 48", tiny(Architecture.QWEN3), DType.FP32, mixed, 1e-4),
                // original context 512/8 = 64 < sequence_length 192: long factors; prompts past 64 so that
                // transformers (which switches by the current length) uses them at every step too.
                new Case("phi3 fused, partial rotary, longrope long", phi3, DType.FP32, new int[] {70, 128}, 1e-4),
                // original context 2048/8 = 256 >= 192: short factors throughout.
                new Case("phi3 longrope short", phi3.withMaxPositions(2048).withSeed(1), DType.FP32, mixed, 1e-4),
                new Case("gemma2 softcaps, alternating windows", tiny(Architecture.GEMMA2), DType.FP32, mixed, 1e-4),
                new Case("gemma3_text q/k norms, local base, linear rope", tiny(Architecture.GEMMA3_TEXT)
                        .withRopeScaling(RopeScalingType.LINEAR), DType.FP32, mixed, 1e-4),
                new Case("granite multipliers", tiny(Architecture.GRANITE).withTied(false), DType.FP32, mixed, 1e-4),
                new Case("smollm3 NoPE layer", tiny(Architecture.SMOLLM3), DType.FP32, mixed, 1e-4),
                // fp32 checkpoints cast to bf16. Qwen3 moves logits by ~4.3e-3 (Llama's bound, 1e-2); Gemma 2 by
                // ~1.1e-2, its embeddings scaled by sqrt(hidden) and its norms by 1 + weight ~ 2 (bound 2e-2).
                new Case("qwen3 fp32 cast to bf16", tiny(Architecture.QWEN3).withSeed(8), DType.BF16, mixed, 1e-2),
                new Case("gemma2 fp32 cast to bf16", tiny(Architecture.GEMMA2).withSeed(8), DType.BF16, mixed, 2e-2)
        ).map(Arguments::of);
    }

    private static TinyModelSpec tiny(Architecture a) {
        return TinyModelSpec.tiny(a);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void logitsAndGreedyIdsMatchTheFp64Reference(Case c) throws Exception {
        ReferenceParityTest.check(c, tmp);
    }
}
