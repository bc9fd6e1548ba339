package io.jneuron.core.generate;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.generate.GenerationResult.Row;
import io.jneuron.core.shape.BucketPlan;
import io.jneuron.core.shape.DType;
import io.jneuron.core.shape.ShapeException;
import io.jneuron.core.shape.ShapeSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneratorTest {
    private static final int VOCAB = 16;

    private static ShapeSpec shape(int batch, int seq) {
        return new ShapeSpec(batch, seq, BucketPlan.explicit(List.of(4, 8, 16), seq), DType.FP32);
    }

    private static GenerationResult run(ToyModel model, GenerationRequest.Builder request) {
        return new Generator(model, null).generate(request.build());
    }

    @Test
    void greedyFollowsTheChainOverStaticShapes() {
        ToyModel model = ToyModel.chain(shape(2, 32), VOCAB, 0);
        GenerationResult r = run(model, GenerationRequest.builder(new int[] {3, 7}, new int[] {1, 2, 3, 4, 5, 6})
                .maxNewTokens(4).eosIds(List.of()));
        assertArrayEquals(new int[] {8, 9, 10, 11}, r.rows().get(0).generatedIds());
        assertArrayEquals(new int[] {7, 8, 9, 10}, r.rows().get(1).generatedIds());
        assertEquals(FinishReason.LENGTH, r.rows().get(0).finishReason());
        assertEquals(8, r.bucket(), "the smallest bucket holding 6 tokens");
        assertArrayEquals(new int[] {3, 7, 0, 0, 0, 0, 0, 0}, model.prefills.get(0)[0]);
        assertArrayEquals(new int[] {2, 6}, model.prefillLengths.get(0));
        assertEquals(3, model.decodes.size(), "the prefill token is the first of max_new_tokens");
        assertArrayEquals(new int[] {8, 7}, model.decodes.get(0));
        assertNull(r.rows().get(0).text(), "no tokenizer, no text");
        assertArrayEquals(new int[] {3, 7}, r.rows().get(0).promptIds());
        assertEquals(1, model.sessionsOpened);
        assertEquals(1, model.sessionsClosed);
    }

    @Test
    void eosStopsEachRowOnItsOwnWithOneId() {
        ToyModel model = ToyModel.chain(shape(2, 32), VOCAB, 0);
        GenerationResult r = run(model, GenerationRequest.builder(new int[] {3, 7}, new int[] {1})
                .maxNewTokens(5).eosId(10));
        assertArrayEquals(new int[] {8, 9, 10}, r.rows().get(0).generatedIds());
        assertEquals(FinishReason.EOS, r.rows().get(0).finishReason());
        assertArrayEquals(new int[] {2, 3, 4, 5, 6}, r.rows().get(1).generatedIds());
        assertEquals(FinishReason.LENGTH, r.rows().get(1).finishReason());
        assertEquals(4, model.decodes.size(), "decoding goes on while any row runs");
        assertArrayEquals(new int[] {10, 5}, model.decodes.get(3), "a finished row keeps feeding its last token");
    }

    @Test
    void eosStopsOnAnyIdOfAList() {
        ToyModel model = ToyModel.chain(shape(4, 32), VOCAB, 0);
        GenerationResult r = run(model, GenerationRequest.builder(new int[] {12}, new int[] {7}, new int[] {1})
                .maxNewTokens(6).eosIds(List.of(10, 14)));
        assertArrayEquals(new int[] {13, 14}, r.rows().get(0).generatedIds());
        assertArrayEquals(new int[] {8, 9, 10}, r.rows().get(1).generatedIds());
        assertArrayEquals(new int[] {2, 3, 4, 5, 6, 7}, r.rows().get(2).generatedIds());
        assertEquals(List.of(FinishReason.EOS, FinishReason.EOS, FinishReason.LENGTH),
                r.rows().stream().map(Row::finishReason).toList());
    }

    @Test
    void maxNewTokensOfOneNeedsNoDecodeAndZeroOnlyPrefills() {
        ToyModel model = ToyModel.chain(shape(1, 32), VOCAB, 0);
        GenerationResult one = run(model, GenerationRequest.builder(new int[] {3}).maxNewTokens(1));
        assertArrayEquals(new int[] {4}, one.rows().get(0).generatedIds());
        assertEquals(0, model.decodes.size());

        GenerationResult zero = run(model, GenerationRequest.builder(new int[] {3}).maxNewTokens(0).topLogits(2));
        assertArrayEquals(new int[0], zero.rows().get(0).generatedIds());
        assertEquals(FinishReason.LENGTH, zero.rows().get(0).finishReason());
        assertEquals(4, zero.rows().get(0).prefillTopLogits().get(0).id());
        assertEquals(2, model.prefills.size());
        assertEquals(0, model.decodes.size());
    }

    @Test
    void aSmallerBatchIsPaddedWithDummyRows() {
        ToyModel model = ToyModel.chain(shape(4, 32), VOCAB, 5);
        GenerationResult r = run(model, GenerationRequest.builder(new int[] {1, 2, 3}, new int[] {9})
                .maxNewTokens(3).padId(5));
        assertEquals(2, r.rows().size());
        assertEquals(4, r.batchSize());
        int[][] block = model.prefills.get(0);
        assertEquals(4, block.length);
        assertArrayEquals(new int[] {1, 2, 3, 5}, block[0]);
        assertArrayEquals(new int[] {5, 5, 5, 5}, block[2], "a padding row is a 1-token dummy prompt");
        assertArrayEquals(new int[] {3, 1, 1, 1}, model.prefillLengths.get(0));
        for (int[] step : model.decodes) {
            assertEquals(5, step[2]);
            assertEquals(5, step[3]);
        }
        assertArrayEquals(new int[] {4, 5, 6}, r.rows().get(0).generatedIds());
        assertArrayEquals(new int[] {10, 11, 12}, r.rows().get(1).generatedIds());
    }

    @Test
    void aLargerBatchIsSplitOrRefused() {
        int[][] prompts = {{1}, {2, 3}, {4, 5, 6}, {7}, {8, 9, 10, 11, 12}};
        ShapeException e = assertThrows(ShapeException.class,
                () -> run(ToyModel.chain(shape(2, 32), VOCAB, 0), GenerationRequest.builder(prompts)));
        assertTrue(e.getMessage().contains("5 prompts exceed the compiled batch_size 2"), e.getMessage());

        ToyModel model = ToyModel.chain(shape(2, 32), VOCAB, 0);
        GenerationResult split = run(model, GenerationRequest.builder(prompts).maxNewTokens(4).splitBatches(true));
        assertEquals(3, model.prefills.size());
        assertEquals(1, model.sessionsOpened, "one session serves every run");
        assertEquals(List.of(0, 1, 2, 3, 4), split.rows().stream().map(Row::index).toList());
        assertEquals(List.of(4, 4, 4, 4, 8), split.rows().stream().map(Row::bucket).toList());
        for (int i = 0; i < prompts.length; i++) {
            GenerationResult alone = run(ToyModel.chain(shape(1, 32), VOCAB, 0),
                    GenerationRequest.builder(prompts[i]).maxNewTokens(4));
            assertArrayEquals(alone.rows().get(0).generatedIds(), split.rows().get(i).generatedIds());
        }
    }

    @Test
    void aPromptThatDoesNotFitIsRefusedNamingTheRow() {
        ToyModel model = ToyModel.chain(shape(2, 16), VOCAB, 0);
        ShapeException e = assertThrows(ShapeException.class, () -> run(model,
                GenerationRequest.builder(new int[] {1, 2, 3}, new int[10]).maxNewTokens(8)));
        // The toy model's own limit is its 16 positions: no bigger export can help, so none is suggested.
        assertEquals("prompt row 1 (of 2): prompt of 10 tokens + max_new_tokens 8 = 18 exceeds the model's limit of 16 "
                + "positions; shorten the prompt or lower --max_new_tokens to 6 or less", e.getMessage());
        e = assertThrows(ShapeException.class,
                () -> run(model, GenerationRequest.builder(new int[16]).maxNewTokens(1)));
        assertTrue(e.getMessage().startsWith("prompt of 16 tokens + max_new_tokens 1 = 17 exceeds"), e.getMessage());
        e = assertThrows(ShapeException.class,
                () -> run(model, GenerationRequest.builder(new int[] {1}, new int[0]).maxNewTokens(1)));
        assertTrue(e.getMessage().startsWith("prompt row 1 (of 2): the prompt is empty"), e.getMessage());
        NeuronKernelException bad = assertThrows(NeuronKernelException.class,
                () -> run(model, GenerationRequest.builder(new int[] {1, 99}).maxNewTokens(1)));
        assertEquals("prompt position 1: token id 99 is outside the model's vocabulary 0..15; check the ids or the "
                + "tokenizer", bad.getMessage());
        assertEquals(0, model.sessionsOpened, "nothing runs when a row is refused");
    }

    @Test
    void streamedDeltasConcatenateToTheFinalTextAcrossMultiByteCharacters() {
        String[] scripts = {"héllo, wörld €", "𝄞 clef ✓ ok"};
        int[][] scriptIds = {ByteTokenizer.ids(scripts[0]), ByteTokenizer.ids(scripts[1])};
        ToyModel model = new ToyModel(shape(2, 64), ByteTokenizer.VOCAB, ByteTokenizer.PAD, (prev, pos, len) -> {
            int[] script = scriptIds[len - 2]; // the two prompts have 2 and 3 tokens
            int i = pos - len;
            float[] logits = new float[ByteTokenizer.VOCAB];
            logits[i < script.length ? script[i] : ByteTokenizer.EOS] = 5f;
            return logits;
        });
        List<StringBuilder> streamed = List.of(new StringBuilder(), new StringBuilder());
        List<List<Integer>> tokens = List.of(new ArrayList<>(), new ArrayList<>());
        GenerationRequest request = GenerationRequest.builder(ByteTokenizer.ids("A:"), ByteTokenizer.ids("Bb:"))
                .maxNewTokens(40)
                .listener((row, id, delta) -> {
                    assertFalse(delta.contains("\uFFFD"), "half a character was streamed");
                    streamed.get(row).append(delta);
                    tokens.get(row).add(id);
                })
                .build();
        GenerationResult r = new Generator(model, new ByteTokenizer()).generate(request);
        for (int row = 0; row < 2; row++) {
            Row result = r.rows().get(row);
            assertEquals(scripts[row], result.text());
            assertEquals(scripts[row], streamed.get(row).toString());
            assertEquals(FinishReason.EOS, result.finishReason(), "EOS comes from the tokenizer by default");
            int[] expected = Arrays.copyOf(scriptIds[row], scriptIds[row].length + 1);
            expected[scriptIds[row].length] = ByteTokenizer.EOS;
            assertArrayEquals(expected, result.generatedIds());
            assertEquals(Arrays.stream(expected).boxed().toList(), tokens.get(row));
        }
    }

    @Test
    void seededSamplingIsReproducibleAndIndependentOfBatchComposition() {
        int[][] prompts = {{1, 2}, {3}, {4, 5, 6}};
        ToyModel.Logits flat = (prev, pos, len) -> {
            float[] l = ToyModel.chainLogits(prev, VOCAB);
            l[(prev + 1) % VOCAB] = 1f; // a mild favourite: sampling really samples
            return l;
        };
        SamplingParams seven = SamplingParams.sample(1.0, 0, 1.0, 7);
        List<int[]> reference = generated(new ToyModel(shape(4, 32), VOCAB, 0, flat), prompts, seven);
        assertIdsEqual(reference, generated(new ToyModel(shape(4, 32), VOCAB, 0, flat), prompts, seven));
        assertIdsEqual(reference, generated(new ToyModel(shape(1, 32), VOCAB, 0, flat), prompts, seven));
        assertIdsEqual(reference, generated(new ToyModel(shape(2, 32), VOCAB, 0, flat), prompts, seven));
        List<int[]> other = generated(new ToyModel(shape(4, 32), VOCAB, 0, flat), prompts,
                SamplingParams.sample(1.0, 0, 1.0, 8));
        assertFalse(IntStream.range(0, 3).allMatch(i -> Arrays.equals(reference.get(i), other.get(i))));
    }

    @Test
    void prefillTopLogitsAreTheLargestBestFirst() {
        ToyModel model = ToyModel.chain(shape(1, 32), VOCAB, 0);
        Row row = run(model, GenerationRequest.builder(new int[] {3}).maxNewTokens(1).topLogits(4)).rows().get(0);
        float[] logits = ToyModel.chainLogits(3, VOCAB);
        List<Integer> order = IntStream.range(0, VOCAB).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -logits[i]).thenComparingInt(i -> i)).toList();
        assertEquals(order.subList(0, 4),
                row.prefillTopLogits().stream().map(GenerationResult.TokenLogit::id).toList());
        assertEquals(logits[order.get(1)], row.prefillTopLogits().get(1).logit());
        assertTrue(run(model, GenerationRequest.builder(new int[] {3}).maxNewTokens(1)).rows().get(0)
                .prefillTopLogits().isEmpty());
    }

    @Test
    void timingsCountRealTokens() {
        ToyModel model = ToyModel.chain(shape(4, 32), VOCAB, 0);
        GenerationResult r = run(model, GenerationRequest.builder(new int[] {3, 7}, new int[] {1, 2, 3})
                .maxNewTokens(5).eosId(10)).withLoadMs(12.5);
        GenerationResult.Timings t = r.timings();
        assertEquals(5, t.promptTokens(), "padding is not counted");
        assertEquals((3 - 1) + (5 - 1), t.decodeTokens(), "each row's first token comes from the prefill");
        assertEquals(12.5, t.loadMs());
        assertTrue(t.prefillMs() > 0 && t.decodeMs() > 0 && t.ttftMs() >= t.prefillMs(), t.toString());
        assertEquals(t.promptTokens() / (t.prefillMs() / 1000), t.prefillTokS(), 1e-6 * t.prefillTokS());
        assertEquals(t.decodeTokens() / (t.decodeMs() / 1000), t.decodeTokS(), 1e-6 * t.decodeTokS());
    }

    @Test
    void anInterruptStopsBetweenStepsWithThePartialResult() {
        ToyModel model = ToyModel.chain(shape(2, 32), VOCAB, 0);
        GenerationRequest request = GenerationRequest.builder(new int[] {1}, new int[] {5}).maxNewTokens(10)
                .listener((row, id, delta) -> {
                    if (row == 0 && id == 4) {
                        Thread.currentThread().interrupt(); // as a kernel interrupt would
                    }
                }).build();
        try {
            GenerationInterruptedException e = assertThrows(GenerationInterruptedException.class,
                    () -> new Generator(model, null).generate(request));
            assertTrue(Thread.currentThread().isInterrupted(), "the flag is left for the caller");
            List<Row> rows = e.partial().rows();
            assertArrayEquals(new int[] {2, 3, 4}, rows.get(0).generatedIds());
            assertArrayEquals(new int[] {6, 7, 8}, rows.get(1).generatedIds(), "the step in progress completes");
            assertEquals(FinishReason.INTERRUPTED, rows.get(1).finishReason());
            assertEquals(1, model.sessionsClosed);
        } finally {
            Thread.interrupted();
        }
        try {
            Thread.currentThread().interrupt();
            GenerationInterruptedException e = assertThrows(GenerationInterruptedException.class,
                    () -> new Generator(model, null).generate(request));
            assertTrue(e.partial().rows().isEmpty(), "no run started");
            assertEquals(1, model.prefills.size());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aFailingListenerAbortsAndClosesTheSession() {
        ToyModel model = ToyModel.chain(shape(1, 32), VOCAB, 0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> run(model,
                GenerationRequest.builder(new int[] {1}).listener((row, id, delta) -> {
                    throw new IllegalStateException("renderer gone");
                })));
        assertEquals("renderer gone", e.getMessage());
        assertEquals(1, model.sessionsClosed);
    }

    private static List<int[]> generated(ToyModel model, int[][] prompts, SamplingParams params) {
        GenerationResult r = run(model, GenerationRequest.builder(prompts).maxNewTokens(12).sampling(params)
                .splitBatches(true));
        return r.rows().stream().map(Row::generatedIds).toList();
    }

    private static void assertIdsEqual(List<int[]> expected, List<int[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "row " + i);
        }
    }
}
