package io.jneuron.cpu;

import com.fasterxml.jackson.databind.JsonNode;
import io.jneuron.core.Settings;
import io.jneuron.core.backend.Backend;
import io.jneuron.core.backend.LoadedModel;
import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.generate.GenerationRequest;
import io.jneuron.core.generate.GenerationResult;
import io.jneuron.core.generate.Generator;
import io.jneuron.core.model.Architecture;
import io.jneuron.core.model.Checkpoint;
import io.jneuron.core.shape.BucketPlan;
import io.jneuron.core.shape.DType;
import io.jneuron.core.shape.ShapeSpec;
import io.jneuron.core.testing.TinyModelSpec;
import io.jneuron.core.testing.TinyModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code repetition_penalty} and {@code min_new_tokens} against the numpy reference ({@code reference_processors.py},
 * written from transformers' RepetitionPenaltyLogitsProcessor and MinNewTokensLengthLogitsProcessor semantics, over
 * the fp64 reference decoder): greedy ids of a batch of two rows (one prompt full of repeats) on a random-weight
 * Gemma 2 (its final soft-cap keeps logits in (-1, 1), so both signs are penalised) must be identical over every
 * step, EOS stops included.
 */
class LogitsProcessorsParityTest {
    private static final int STEPS = 12;
    private static final int[][] PROMPTS = {{5, 9, 5, 9, 5, 9, 300}, {17, 1000, 41, 1500, 17}};

    @TempDir
    static Path tmp;
    static Backend backend;
    static LoadedModel loaded;
    static Path model;

    @BeforeAll
    static void compile() throws Exception {
        model = tmp.resolve("gemma2");
        TinyModels.generate(TinyModelSpec.tiny(Architecture.GEMMA2).withSeed(21), model);
        backend = new CpuBackendProvider().create(new Settings("cpu", 2));
        Path artifact = tmp.resolve("model.cpu");
        backend.compiler().orElseThrow().compile(Checkpoint.open(model), new ShapeSpec(2, 64, BucketPlan.defaults(64),
                DType.FP32), artifact, ProgressListener.NONE);
        loaded = backend.runtime().orElseThrow().load(artifact);
    }

    private static List<int[]> java(double penalty, int minNew, List<Integer> eos) {
        GenerationRequest r = GenerationRequest.builder(PROMPTS).maxNewTokens(STEPS).repetitionPenalty(penalty)
                .minNewTokens(minNew).eosIds(eos).build();
        GenerationResult result = new Generator(loaded, null).generate(r);
        return result.rows().stream().map(GenerationResult.Row::generatedIds).toList();
    }

    private static List<int[]> reference(double penalty, int minNew, List<Integer> eos) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ReferenceParityTest.PYTHON.toString(),
                ReferenceParityTest.REFERENCE.toString(), model.toString(), "--max-new-tokens", Integer.toString(STEPS),
                "--repetition-penalty", Double.toString(penalty), "--min-new-tokens", Integer.toString(minNew)));
        for (int e : eos) {
            cmd.addAll(List.of("--eos-id", Integer.toString(e)));
        }
        for (int[] p : PROMPTS) {
            cmd.addAll(List.of("--prompt-ids", String.join(",", Arrays.stream(p).mapToObj(Integer::toString).toList())));
        }
        Process proc = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = proc.getInputStream().readAllBytes();
        assertTrue(proc.waitFor(120, TimeUnit.SECONDS), "reference timed out");
        assertEquals(0, proc.exitValue(), "reference failed: " + new String(out, StandardCharsets.UTF_8));
        List<int[]> rows = new ArrayList<>();
        for (JsonNode row : ReferenceParityTest.JSON.readTree(out).get("rows")) {
            int[] ids = new int[row.get("generated_ids").size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = row.get("generated_ids").get(i).asInt();
            }
            rows.add(ids);
        }
        return rows;
    }

    private static void assertSame(List<int[]> expected, List<int[]> actual, String what) {
        for (int b = 0; b < expected.size(); b++) {
            assertEquals(Arrays.toString(expected.get(b)), Arrays.toString(actual.get(b)), what + ", row " + b);
        }
    }

    @Test
    void repetitionPenaltyAndMinNewTokensPickTheReferencesIds() throws Exception {
        assertTrue(Files.isExecutable(ReferenceParityTest.PYTHON), "Debian's python3 with numpy is needed");
        List<int[]> plain = reference(1.0, 0, List.of());
        assertSame(plain, java(1.0, 0, List.of()), "plain greedy");

        // Penalties above and below 1, each checked to change the greedy ids (so the check can fail).
        for (double penalty : new double[] {1.8, 0.6}) {
            List<int[]> ref = reference(penalty, 0, List.of());
            assertSame(ref, java(penalty, 0, List.of()), "repetition_penalty " + penalty);
            assertFalse(Arrays.equals(plain.get(0), ref.get(0)) && Arrays.equals(plain.get(1), ref.get(1)),
                    "repetition_penalty " + penalty + " changed nothing; the test would not notice a missing penalty");
        }

        // EOS = each row's first plain greedy token: min_new_tokens 5 must keep it out of the first 5 tokens; after
        // that a row may stop on it, which the reference decides too.
        List<Integer> eos = List.of(plain.get(0)[0], plain.get(1)[0]);
        List<int[]> stopped = reference(1.0, 0, eos);
        assertEquals(1, stopped.get(0).length, "without min_new_tokens row 0 stops at once on its EOS");
        List<int[]> ref = reference(1.3, 5, eos);
        List<int[]> got = java(1.3, 5, eos);
        assertSame(ref, got, "repetition_penalty 1.3 with min_new_tokens 5");
        for (int[] row : got) {
            assertTrue(row.length >= 5, Arrays.toString(row));
            for (int i = 0; i < 5; i++) {
                assertFalse(eos.contains(row[i]), "EOS before min_new_tokens: " + Arrays.toString(row));
            }
        }
        assertNotEquals(Arrays.toString(stopped.get(0)), Arrays.toString(got.get(0)));
    }
}
