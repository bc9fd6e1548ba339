package io.jneuron.cpu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jneuron.core.Settings;
import io.jneuron.core.backend.Backend;
import io.jneuron.core.backend.DecodeSession;
import io.jneuron.core.backend.LoadedModel;
import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.model.Architecture;
import io.jneuron.core.model.Checkpoint;
import io.jneuron.core.shape.BucketPlan;
import io.jneuron.core.shape.DType;
import io.jneuron.core.shape.ShapeSpec;
import io.jneuron.core.testing.TinyModelSpec;
import io.jneuron.core.testing.TinyModelSpec.RopeScalingType;
import io.jneuron.core.testing.TinyModels;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CPU decoder against an independent fp64 numpy implementation
 * ({@code src/test/python/reference_decoder.py}, Debian's python3-numpy): logits at every prefill and
 * decode step, and greedy ids. The reference recomputes each sequence from scratch, unbatched and
 * unpadded, so batching, padding, buckets and the KV cache are all checked too.
 */
class ReferenceParityTest {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final Path REFERENCE = Path.of("src/test/python/reference_decoder.py");
    static final int STEPS = 8;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    record Case(String name, TinyModelSpec spec, DType compileAs, int[] promptLengths, double tolerance) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        TinyModelSpec llama = TinyModelSpec.tiny(Architecture.LLAMA);
        TinyModelSpec gpt2 = TinyModelSpec.tiny(Architecture.GPT2);
        // Rows of 7 and 128 tokens share bucket 128 (one padded, one filling it); 130 takes bucket 192.
        int[] mixed = {7, 128};
        int[] overflow = {130};
        return Stream.of(
                new Case("llama GQA tied fp32", llama, DType.FP32, mixed, 1e-4),
                new Case("llama GQA tied fp32, bucket 192", llama.withSeed(3), DType.FP32, overflow, 1e-4),
                new Case("llama MHA untied llama3-rope fp32", llama.withNumKvHeads(4).withTied(false)
                        .withRopeScaling(RopeScalingType.LLAMA3).withSeed(1), DType.FP32, mixed, 1e-4),
                new Case("llama linear-rope head_dim 48 fp32", llama.withHeadDim(48).withRopeScaling(RopeScalingType.LINEAR)
                        .withSeed(2), DType.FP32, mixed, 1e-4),
                new Case("llama 2 shards fp32", llama.withShards(2).withSeed(4), DType.FP32, overflow, 1e-4),
                new Case("gpt2 tied fp32", gpt2, DType.FP32, mixed, 1e-4),
                new Case("gpt2 untied fp32", gpt2.withTied(false).withSeed(5), DType.FP32, overflow, 1e-4),
                // A bf16 / fp16 checkpoint packed as bf16 / fp16 loses nothing: same 1e-4 bound.
                new Case("llama bf16 checkpoint as bf16", llama.withDtype("BF16").withSeed(6), DType.BF16, mixed, 1e-4),
                new Case("gpt2 fp16 checkpoint as fp16", gpt2.withDtype("F16").withSeed(7), DType.FP16, mixed, 1e-4),
                // An fp32 checkpoint cast to bf16 (8 significant bits) moves logits by ~4e-3 here; bound 1e-2.
                new Case("llama fp32 checkpoint cast to bf16", llama.withSeed(8), DType.BF16, mixed, 1e-2),
                // Weight-only int8 (7 bits plus a per-row scale) moves logits by ~1.5e-2 here; bound 5e-2.
                new Case("llama fp32 checkpoint quantized int8", llama.withSeed(9), DType.INT8, mixed, 5e-2)
        ).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void logitsAndGreedyIdsMatchTheFp64Reference(Case c) throws Exception {
        check(c, tmp);
    }

    /** Runs the reference's steps through {@code session}; returns the largest logit difference. */
    private static double compare(Case c, DecodeSession session, ShapeSpec shape, int[][] prompts, JsonNode reference) {
        int batch = prompts.length;
        int bucket = shape.buckets().find(max(c.promptLengths()));
        int[][] padded = new int[batch][bucket];
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(prompts[b], 0, padded[b], 0, prompts[b].length);
            lengths[b] = prompts[b].length;
        }
        float[][] logits = session.prefill(padded, lengths);
        double worst = 0;
        for (int step = 0; step < STEPS; step++) {
            int[] next = new int[batch];
            for (int b = 0; b < batch; b++) {
                JsonNode row = reference.get("rows").get(b);
                JsonNode ref = row.get("logits").get(step);
                assertEquals(ref.size(), logits[b].length, "vocab size");
                for (int v = 0; v < ref.size(); v++) {
                    double d = Math.abs(ref.get(v).asDouble() - logits[b][v]);
                    worst = Math.max(worst, d);
                    if (d > c.tolerance()) {
                        throw new AssertionError(c + ": row " + b + " step " + step + " token " + v + ": java "
                                + logits[b][v] + " vs reference " + ref.get(v).asDouble());
                    }
                }
                // Teacher-forced with the reference's ids, so a lossy cast cannot derail later steps.
                next[b] = row.get("generated_ids").get(step).asInt();
                if (c.tolerance() <= 1e-4) {
                    assertEquals(next[b], argmax(logits[b]), c + ": greedy id at row " + b + " step " + step);
                }
            }
            if (step + 1 < STEPS) {
                logits = session.decode(next);
            }
        }
        return worst;
    }

    /** Generates the case's checkpoint under {@code tmp}, runs both implementations and compares every step. */
    static void check(Case c, Path tmp) throws Exception {
        Path model = tmp.resolve("model");
        TinyModels.generate(c.spec(), model);
        int batch = c.promptLengths().length;
        ShapeSpec shape = new ShapeSpec(batch, 192, BucketPlan.defaults(192), c.compileAs());
        int[][] prompts = prompts(c.promptLengths(), c.spec().vocabSize());
        JsonNode reference = runReference(model, prompts);

        Settings settings = new Settings("cpu", 2);
        try (Backend backend = new CpuBackendProvider().create(settings)) {
            Path artifact = tmp.resolve("model.cpu");
            backend.compiler().orElseThrow().compile(Checkpoint.open(model), shape, artifact, ProgressListener.NONE);
            try (LoadedModel loaded = backend.runtime().orElseThrow().load(artifact)) {
                double worst;
                try (DecodeSession session = loaded.newSession()) {
                    worst = compare(c, session, shape, prompts, reference);
                }
                // The weights are mapped in place: unlinking the artifact and putting another file under its
                // name (what cache cleanup and re-export do) must not disturb the loaded model; the second
                // session also runs on the first one's recycled KV cache and activations (BufferPool).
                Files.delete(artifact);
                Files.write(artifact, new byte[] {1, 2, 3});
                try (DecodeSession session = loaded.newSession()) {
                    worst = Math.max(worst, compare(c, session, shape, prompts, reference));
                }
                System.out.printf("%s: max |logit - fp64 reference| = %.3g%n", c, worst);
                assertTrue(worst <= c.tolerance());
            }
        }
    }

    static int[][] prompts(int[] lengths, int vocab) {
        SplittableRandom rnd = new SplittableRandom(lengths.length * 1000L + lengths[0]);
        int[][] out = new int[lengths.length][];
        for (int b = 0; b < lengths.length; b++) {
            out[b] = rnd.ints(lengths[b], 0, vocab).toArray();
        }
        return out;
    }

    static JsonNode runReference(Path model, int[][] prompts) throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(PYTHON), "Debian's python3 with numpy is needed: apt-get install python3-numpy");
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), REFERENCE.toString(), model.toString(),
                "--max-new-tokens", Integer.toString(STEPS)));
        for (int[] p : prompts) {
            StringBuilder sb = new StringBuilder();
            for (int id : p) {
                sb.append(sb.length() == 0 ? "" : ",").append(id);
            }
            cmd.add("--prompt-ids");
            cmd.add(sb.toString());
        }
        Process proc = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = proc.getInputStream().readAllBytes();
        assertTrue(proc.waitFor(120, TimeUnit.SECONDS), "reference timed out");
        assertEquals(0, proc.exitValue(), "reference failed: " + new String(out, StandardCharsets.UTF_8));
        return JSON.readTree(out);
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    static int max(int[] v) {
        int m = v[0];
        for (int x : v) {
            m = Math.max(m, x);
        }
        return m;
    }
}
