package io.jneuron.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.backend.EncoderRunner;
import io.jneuron.core.model.EncoderConfig;
import io.jneuron.core.model.HfTokenizer;
import io.jneuron.core.model.TokenEncoding;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one batch's encoder states into each task's outputs, as transformers' pipelines define them:
 * pooled embeddings; softmax (sigmoid for multi-label) over {@code id2label}; entities (see
 * {@link EntityAggregation}); the top-k tokens at each mask; the
 * best answer span inside the context.
 */
final class TaskOutputs {
    /** transformers' question-answering default {@code max_answer_len}. */
    static final int MAX_ANSWER_TOKENS = 15;

    private final PipelineRequest req;
    private final EncoderConfig cfg;
    private final HfTokenizer tok;
    private final SentencePooling pooling;
    private final int h;
    private final int maskId;

    TaskOutputs(PipelineRequest req, EncoderConfig cfg, HfTokenizer tok, Path folder, int hidden) {
        this.req = req;
        this.cfg = cfg;
        this.tok = tok;
        this.h = hidden;
        this.pooling = req.task().equals("feature-extraction") ? SentencePooling.of(folder, req.pooling()) : null;
        this.maskId = req.task().equals("fill-mask") ? maskId(folder, tok) : -1;
    }

    List<PipelineOutput> outputs(EncoderRunner enc, float[] hidden, List<TokenEncoding> rows, int seq,
                                 List<String[]> texts) {
        List<PipelineOutput> out = new ArrayList<>();
        switch (req.task()) {
            case "feature-extraction" -> {
                for (int r = 0; r < rows.size(); r++) {
                    TokenEncoding e = rows.get(r);
                    if (pooling.mode().equals("none")) {
                        float[][] tokens = new float[e.length()][];
                        for (int t = 0; t < e.length(); t++) {
                            tokens[t] = Arrays.copyOfRange(hidden, (r * seq + t) * h, (r * seq + t + 1) * h);
                        }
                        out.add(new PipelineOutput.Embedding(e.ids(), null, tokens));
                    } else {
                        out.add(new PipelineOutput.Embedding(e.ids(), pooling.pool(hidden, r, seq, h, e.length()), null));
                    }
                }
            }
            case "text-classification" -> {
                float[] logits = enc.head(hidden, null);
                int n = enc.headWidth();
                for (int r = 0; r < rows.size(); r++) {
                    double[] p = cfg.multiLabel() ? sigmoid(logits, r * n, n) : softmax(logits, r * n, n);
                    Map<String, Double> scores = new LinkedHashMap<>();
                    int best = 0;
                    for (int i = 0; i < n; i++) {
                        scores.put(cfg.labels().get(i), p[i]);
                        best = p[i] > p[best] ? i : best;
                    }
                    out.add(new PipelineOutput.Classification(cfg.labels().get(best), p[best], scores));
                }
            }
            case "token-classification" -> {
                for (int r = 0; r < rows.size(); r++) {
                    out.add(entities(enc, hidden, rows.get(r), r * seq, texts.get(r)[0]));
                }
            }
            case "fill-mask" -> {
                for (int r = 0; r < rows.size(); r++) {
                    out.add(fillMask(enc, hidden, rows.get(r), r * seq, r));
                }
            }
            default -> out.add(answer(enc, hidden, rows.get(0), texts.get(0)[1]));
        }
        return out;
    }

    private PipelineOutput.Entities entities(EncoderRunner enc, float[] hidden, TokenEncoding e, int base, String text) {
        int[] rows = new int[e.length()];
        for (int t = 0; t < e.length(); t++) {
            rows[t] = base + t;
        }
        float[] logits = enc.head(hidden, rows);
        int n = enc.headWidth();
        List<String> strings = tok.tokens(text, true);
        List<EntityAggregation.Token> tokens = new ArrayList<>();
        for (int t = 0; t < e.length(); t++) {
            if (!e.special()[t]) {
                tokens.add(new EntityAggregation.Token(t, e.ids()[t], strings.get(t), softmax(logits, t * n, n),
                        e.starts()[t], e.ends()[t], e.wordIds()[t]));
            }
        }
        return new PipelineOutput.Entities(EntityAggregation.aggregate(req.aggregation(), tokens, cfg.labels(), text,
                ids -> tok.decode(ids, true)));
    }

    private PipelineOutput.FillMask fillMask(EncoderRunner enc, float[] hidden, TokenEncoding e, int base, int row) {
        int at = -1;
        for (int t = 0; t < e.length(); t++) {
            if (e.ids()[t] == maskId) {
                at = t;
                break;
            }
        }
        if (at < 0) {
            throw new NeuronKernelException("input " + (row + 1) + " has no mask token; write "
                    + tok.decode(new int[] {maskId}, false) + " where a word should be predicted");
        }
        int n = enc.headWidth();
        double[] p = softmax(enc.head(hidden, new int[] {base + at}), 0, n);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
        List<PipelineOutput.Prediction> preds = new ArrayList<>();
        for (int k = 0; k < Math.min(req.topK(), n); k++) {
            int id = order[k];
            int[] filled = e.ids().clone();
            filled[at] = id;
            preds.add(new PipelineOutput.Prediction(id, tok.decode(new int[] {id}, false).strip(), p[id],
                    tok.decode(filled, true)));
        }
        return new PipelineOutput.FillMask(preds);
    }

    /** The span {@code s <= e < s + 15} of context tokens maximising p_start(s) * p_end(e), softmax over the context. */
    private PipelineOutput.Answer answer(EncoderRunner enc, float[] hidden, TokenEncoding e, String context) {
        List<Integer> ctx = new ArrayList<>();
        for (int t = 0; t < e.length(); t++) {
            if (e.sequenceIds()[t] == 1 && !e.special()[t]) {
                ctx.add(t);
            }
        }
        if (ctx.isEmpty()) {
            throw new NeuronKernelException("the context is empty or was truncated away; export with a longer"
                    + " --sequence_length");
        }
        int[] rows = ctx.stream().mapToInt(Integer::intValue).toArray();
        float[] logits = enc.head(hidden, rows);
        float[] start = new float[rows.length];
        float[] end = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            start[i] = logits[2 * i];
            end[i] = logits[2 * i + 1];
        }
        double[] ps = softmax(start, 0, rows.length);
        double[] pe = softmax(end, 0, rows.length);
        int bs = 0;
        int be = 0;
        double best = -1;
        for (int s = 0; s < rows.length; s++) {
            for (int x = s; x < Math.min(rows.length, s + MAX_ANSWER_TOKENS); x++) {
                if (ps[s] * pe[x] > best) {
                    best = ps[s] * pe[x];
                    bs = s;
                    be = x;
                }
            }
        }
        int startChar = e.starts()[rows[bs]];
        int endChar = e.ends()[rows[be]];
        return new PipelineOutput.Answer(context.substring(startChar, endChar), best, startChar, endChar);
    }

    static double[] softmax(float[] v, int o, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, v[o + i]);
        }
        double[] p = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            p[i] = Math.exp(v[o + i] - max);
            sum += p[i];
        }
        for (int i = 0; i < n; i++) {
            p[i] /= sum;
        }
        return p;
    }

    private static double[] sigmoid(float[] v, int o, int n) {
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = 1 / (1 + Math.exp(-v[o + i]));
        }
        return p;
    }


    /** The mask token named by tokenizer_config.json ({@code [MASK]} or {@code <mask>} when it names none). */
    private static int maskId(Path folder, HfTokenizer tok) {
        String mask = null;
        Path cfg = folder.resolve("tokenizer_config.json");
        if (Files.isRegularFile(cfg)) {
            try {
                JsonNode m = new ObjectMapper().readTree(Files.readAllBytes(cfg)).path("mask_token");
                mask = m.isTextual() ? m.asText() : m.path("content").asText(null);
            } catch (IOException e) {
                throw new NeuronKernelException(cfg + ": cannot read: " + e.getMessage(), e);
            }
        }
        for (String candidate : mask != null ? List.of(mask) : List.of("[MASK]", "<mask>")) {
            int[] ids = tok.encode(candidate, false);
            if (ids.length == 1) {
                return ids[0];
            }
        }
        throw new NeuronKernelException(folder + ": the tokenizer has no mask token; fill-mask needs one");
    }
}
