package io.jneuron.core.generate;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.backend.DecodeSession;
import io.jneuron.core.generate.GenerationResult.Row;
import io.jneuron.core.generate.GenerationResult.TokenLogit;
import io.jneuron.core.model.TextTokenizer;
import io.jneuron.core.shape.ShapeSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One static-shape run ({@link ShapeSpec.BatchRun}): builds the {@code [batch_size][bucket]} prompt
 * block, prefills once, then decodes step by step until every real row stopped. Shapes never change
 * inside a run: padding rows (1-token dummy prompts) and finished rows keep being fed, and their
 * logits are ignored. Checks for interruption before the prefill and before every decode step.
 */
final class BatchLoop {
    private final GenerationRequest request;
    private final int padId;
    private final int[] eosIds;
    private final Sampler sampler;
    private final TextTokenizer tokenizer;
    private final Meter meter;
    private final ShapeSpec shape;
    private final int first;
    private final int real;
    private final int batch;
    private final int maxNew;
    private final int minNew;
    private final float penalty;
    private boolean[][] seen; // per real row, the ids in its prompt and generated tokens (repetition penalty)
    private final int[][] generated;
    private final int[] counts;
    private final FinishReason[] finish;
    private final int[] last;
    private final StreamingDetokenizer[] streams;
    private int active;
    private int bucket;
    private boolean interrupted;

    BatchLoop(GenerationRequest request, ShapeSpec shape, ShapeSpec.BatchRun run, int padId, int[] eosIds,
              Sampler sampler, TextTokenizer tokenizer, Meter meter) {
        this.request = request;
        this.shape = shape;
        this.padId = padId;
        this.eosIds = eosIds;
        this.sampler = sampler;
        this.tokenizer = tokenizer;
        this.meter = meter;
        this.first = run.firstRow();
        this.real = run.realRows();
        this.batch = shape.batchSize();
        this.maxNew = request.maxNewTokens();
        this.minNew = request.minNewTokens();
        // float, as torch multiplies a float32 logits tensor by the Python scalar
        this.penalty = (float) request.repetitionPenalty();
        this.generated = new int[real][maxNew];
        this.counts = new int[real];
        this.finish = new FinishReason[real];
        this.last = new int[batch];
        this.active = real;
        boolean stream = request.listener() != null && tokenizer != null;
        this.streams = stream ? new StreamingDetokenizer[real] : null;
        for (int b = 0; stream && b < real; b++) {
            streams[b] = new StreamingDetokenizer(tokenizer);
        }
    }

    /** Whether the run stopped because the thread was interrupted. */
    boolean interrupted() {
        return interrupted;
    }

    /** Runs the batch; returns its real rows in order (none if interrupted before the prefill). */
    List<Row> execute(DecodeSession session) {
        int[] lengths = new int[batch];
        int longest = 1;
        for (int b = 0; b < batch; b++) {
            lengths[b] = b < real ? request.promptLength(first + b) : 1;
            longest = Math.max(longest, lengths[b]);
        }
        bucket = shape.buckets().find(longest);
        int[][] tokens = new int[batch][bucket];
        for (int b = 0; b < batch; b++) {
            Arrays.fill(tokens[b], padId); // right padding; a padding row's dummy prompt is one pad
            if (b < real) {
                request.copyPrompt(first + b, tokens[b]);
            }
        }
        Arrays.fill(last, padId);
        if (stopRequested()) {
            return List.of();
        }
        long t0 = System.nanoTime();
        long l0 = meter.listenerNs;
        float[][] logits = check(session.prefill(tokens, lengths), "prefill");
        List<List<TokenLogit>> tops = topLogits(logits);
        for (int b = 0; b < real; b++) {
            meter.promptTokens += lengths[b];
        }
        if (maxNew == 0) {
            Arrays.fill(finish, FinishReason.LENGTH);
            active = 0;
        } else {
            accept(logits, false);
        }
        long t1 = System.nanoTime();
        meter.prefillNs += t1 - t0 - (meter.listenerNs - l0);
        meter.markFirstToken(t1);
        int[] step = new int[batch];
        while (active > 0 && !stopRequested()) {
            long t = System.nanoTime();
            long l = meter.listenerNs;
            // Finished rows repeat their last token, padding rows the pad id: the shape stays static.
            System.arraycopy(last, 0, step, 0, batch);
            accept(check(session.decode(step), "decode"), true);
            meter.decodeNs += System.nanoTime() - t - (meter.listenerNs - l);
        }
        return rows(tops);
    }

    /** Chooses the next token of every running row from {@code logits}; stops rows on EOS or length. */
    private void accept(float[][] logits, boolean decodeStep) {
        for (int b = 0; b < real; b++) {
            if (finish[b] != null) {
                continue;
            }
            process(b, logits[b]);
            int token = sampler.sample(first + b, logits[b]);
            if (seen != null) {
                seen[b][token] = true;
            }
            generated[b][counts[b]++] = token;
            last[b] = token;
            if (decodeStep) {
                meter.decodeTokens++;
            }
            if (isEos(token)) {
                finish[b] = FinishReason.EOS;
            } else if (counts[b] == maxNew) {
                finish[b] = FinishReason.LENGTH;
            }
            if (finish[b] != null) {
                active--;
            }
            stream(b, token, finish[b] != null);
        }
    }

    /**
     * transformers' logits processors, in its order, on the row's logits in place: the repetition penalty over the
     * ids already in the row, then EOS masked until min_new_tokens tokens were generated.
     */
    private void process(int b, float[] logits) {
        if (penalty != 1f) {
            if (seen == null) {
                seen = new boolean[real][logits.length];
                for (int r = 0; r < real; r++) {
                    for (int i = 0; i < request.promptLength(first + r); i++) {
                        seen[r][request.promptId(first + r, i)] = true;
                    }
                }
            }
            boolean[] row = seen[b];
            for (int i = 0; i < logits.length; i++) {
                if (row[i]) {
                    logits[i] = logits[i] < 0 ? logits[i] * penalty : logits[i] / penalty;
                }
            }
        }
        if (counts[b] < minNew) {
            for (int id : eosIds) {
                if (id >= 0 && id < logits.length) {
                    logits[id] = Float.NEGATIVE_INFINITY;
                }
            }
        }
    }

    private void stream(int b, int token, boolean done) {
        TokenListener listener = request.listener();
        if (listener == null) {
            return;
        }
        String delta = null;
        if (streams != null) {
            delta = streams[b].push(token);
            if (done) {
                delta += streams[b].flush(); // the row's last delta carries anything still held back
            }
        }
        long t = System.nanoTime();
        try {
            listener.onToken(first + b, token, delta);
        } finally {
            meter.listenerNs += System.nanoTime() - t;
        }
    }

    private boolean isEos(int token) {
        for (int id : eosIds) { // a loop: no lambda to spin in the first generation (see GenerationRequest)
            if (id == token) {
                return true;
            }
        }
        return false;
    }

    private boolean stopRequested() {
        if (!Thread.currentThread().isInterrupted()) {
            return false;
        }
        for (int b = 0; b < real; b++) {
            if (finish[b] == null) {
                finish[b] = FinishReason.INTERRUPTED;
            }
        }
        active = 0;
        interrupted = true;
        return true;
    }

    /** Backends are written by others: a wrong logits shape is reported, not an index error later. */
    private float[][] check(float[][] logits, String call) {
        if (logits == null || logits.length != batch) {
            throw new NeuronKernelException("the backend's " + call + " returned logits for "
                    + (logits == null ? "no" : String.valueOf(logits.length)) + " rows; expected batch_size " + batch);
        }
        for (int b = 0; b < real; b++) {
            if (logits[b] == null || logits[b].length == 0) {
                throw new NeuronKernelException("the backend's " + call + " returned no logits for batch row " + b);
            }
        }
        return logits;
    }

    private List<List<TokenLogit>> topLogits(float[][] logits) {
        List<List<TokenLogit>> tops = new ArrayList<>(real);
        for (int b = 0; b < real; b++) {
            int k = Math.min(request.topLogits(), logits[b].length);
            long[] keys = new long[k];
            int n = TopSelection.select(logits[b], k, keys);
            List<TokenLogit> row = new ArrayList<>(n);
            for (int j = 0; j < n; j++) {
                int id = TopSelection.id(keys[j]);
                row.add(new TokenLogit(id, logits[b][id]));
            }
            tops.add(row);
        }
        return tops;
    }

    private List<Row> rows(List<List<TokenLogit>> tops) {
        List<Row> rows = new ArrayList<>(real);
        for (int b = 0; b < real; b++) {
            int[] ids = Arrays.copyOf(generated[b], counts[b]);
            String text = tokenizer == null ? null : ids.length == 0 ? "" : tokenizer.decode(ids, true);
            rows.add(new Row(first + b, request.prompt(first + b), ids, finish[b], text, bucket, tops.get(b)));
        }
        return rows;
    }
}
