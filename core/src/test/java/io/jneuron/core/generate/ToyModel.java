package io.jneuron.core.generate;

import io.jneuron.core.backend.DecodeSession;
import io.jneuron.core.backend.LoadedModel;
import io.jneuron.core.model.Architecture;
import io.jneuron.core.model.ModelConfig;
import io.jneuron.core.shape.ShapeSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A deterministic stand-in for a compiled model. Its logits depend only on the previous token, the
 * position being predicted and the row's prompt length, so rows are independent as in a real
 * decoder. It enforces the static-shape contract of {@link DecodeSession}: token blocks are always
 * {@code [batch_size][bucket]} with a compiled bucket, right padding with the expected pad id,
 * lengths in range, decode with exactly batch_size tokens, and no row past sequence_length.
 * Violations throw {@link AssertionError}, which fails the test through the generator.
 */
final class ToyModel implements LoadedModel {
    /** The logits for the next token of a row. */
    @FunctionalInterface
    interface Logits {
        float[] next(int previousToken, int position, int promptLength);
    }

    final ShapeSpec shape;
    final int vocab;
    final int padId;
    final Logits logits;
    final List<int[][]> prefills = new ArrayList<>();
    final List<int[]> prefillLengths = new ArrayList<>();
    final List<int[]> decodes = new ArrayList<>();
    int sessionsOpened;
    int sessionsClosed;

    ToyModel(ShapeSpec shape, int vocab, int padId, Logits logits) {
        this.shape = shape;
        this.vocab = vocab;
        this.padId = padId;
        this.logits = logits;
    }

    /** A bigram chain: the favourite next token of t is (t + 1) mod vocab, by a wide margin. */
    static ToyModel chain(ShapeSpec shape, int vocab, int padId) {
        return new ToyModel(shape, vocab, padId, (prev, pos, len) -> chainLogits(prev, vocab));
    }

    static float[] chainLogits(int prev, int vocab) {
        float[] out = new float[vocab];
        for (int v = 0; v < vocab; v++) {
            out[v] = ((prev * 31 + v * 17) % 13) / 13f - 0.5f; // fixed noise in [-0.5, 0.5)
        }
        out[(prev + 1) % vocab] = 4f;
        return out;
    }

    @Override
    public ShapeSpec shape() {
        return shape;
    }

    @Override
    public ModelConfig config() {
        return new ModelConfig(Architecture.LLAMA, vocab, 8, 1, 1, 1, 8, 16, shape.sequenceLength(), 1e-5, 10000,
                null, false, "silu", false, false, "float32");
    }

    @Override
    public DecodeSession newSession() {
        sessionsOpened++;
        return new Session();
    }

    @Override
    public void close() {
    }

    private final class Session implements DecodeSession {
        private final int[] position = new int[shape.batchSize()];
        private final int[] previous = new int[shape.batchSize()];
        private final int[] promptLength = new int[shape.batchSize()];
        private boolean prefilled;
        private boolean closed;

        @Override
        public float[][] prefill(int[][] tokens, int[] lengths) {
            check(!closed, "prefill after close");
            int batch = shape.batchSize();
            check(tokens.length == batch, "prefill with " + tokens.length + " rows, compiled " + batch);
            check(lengths.length == batch, "lengths has " + lengths.length + " entries, compiled " + batch);
            int bucket = tokens[0].length;
            check(shape.buckets().sizes().contains(bucket), "bucket " + bucket + " is not compiled");
            float[][] out = new float[batch][];
            for (int b = 0; b < batch; b++) {
                check(tokens[b].length == bucket, "row " + b + " has " + tokens[b].length + " tokens, not " + bucket);
                check(lengths[b] >= 1 && lengths[b] <= bucket, "row " + b + " length " + lengths[b]);
                for (int j = 0; j < bucket; j++) {
                    check(tokens[b][j] >= 0 && tokens[b][j] < vocab, "token id " + tokens[b][j]);
                    check(j < lengths[b] || tokens[b][j] == padId, "row " + b + " not right-padded with " + padId);
                }
                position[b] = lengths[b];
                promptLength[b] = lengths[b];
                previous[b] = tokens[b][lengths[b] - 1];
                out[b] = logits.next(previous[b], position[b], promptLength[b]);
            }
            prefills.add(Arrays.stream(tokens).map(int[]::clone).toArray(int[][]::new));
            prefillLengths.add(lengths.clone());
            prefilled = true;
            return out;
        }

        @Override
        public float[][] decode(int[] tokens) {
            check(!closed && prefilled, "decode before prefill or after close");
            int batch = shape.batchSize();
            check(tokens.length == batch, "decode with " + tokens.length + " tokens, compiled " + batch);
            float[][] out = new float[batch][];
            for (int b = 0; b < batch; b++) {
                check(tokens[b] >= 0 && tokens[b] < vocab, "token id " + tokens[b]);
                check(position[b] < shape.sequenceLength(), "row " + b + " writes past sequence_length");
                position[b]++;
                previous[b] = tokens[b];
                out[b] = logits.next(previous[b], position[b], promptLength[b]);
            }
            decodes.add(tokens.clone());
            return out;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                sessionsClosed++;
            }
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError("static-shape contract broken: " + what);
        }
    }
}
