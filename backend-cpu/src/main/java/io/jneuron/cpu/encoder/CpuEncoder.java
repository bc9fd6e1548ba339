package io.jneuron.cpu.encoder;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.backend.DecodeSession;
import io.jneuron.core.backend.EncoderRunner;
import io.jneuron.core.backend.LoadedModel;
import io.jneuron.core.model.EncoderHead;
import io.jneuron.core.model.ModelConfig;
import io.jneuron.core.shape.ShapeException;
import io.jneuron.core.shape.ShapeSpec;
import io.jneuron.cpu.artifact.ArtifactReader;
import io.jneuron.cpu.tensor.Kernels;
import io.jneuron.cpu.tensor.PackedMatrix;
import io.jneuron.cpu.tensor.Parallel;

import java.util.Optional;

/**
 * A post-LayerNorm transformer encoder (BERT, DistilBERT, RoBERTa, XLM-RoBERTa) over a static batch:
 * embeddings (word + position + token type, then LayerNorm), then per layer
 * {@code x = LN(x + Attn(x)); x = LN(x + W2 act(W1 x))} with bidirectional attention over the real
 * tokens of each sequence. Buffers are sized once for the compiled shapes; one caller at a time.
 */
public final class CpuEncoder implements LoadedModel, EncoderRunner {
    private final EncoderWeights w;
    private final Parallel par;
    private final int batch;
    private final int seq;
    private final int h;
    private final int hs;
    private final int heads;
    private final int headDim;
    private final String activation;
    private final float[] x;
    private final float[] qkv;
    private final float[] ctx;
    private final float[] tmp;
    private final float[] inner;
    /** The layers' weights as GEMM panels when the JVM has the Vector API; null otherwise (decoder kernels). */
    private final EncoderGemm.Panels[][] panels;
    private volatile boolean closed;

    private CpuEncoder(EncoderWeights w, int threads) {
        this.w = w;
        this.par = new Parallel(threads);
        ModelConfig c = w.config();
        this.batch = w.shape().batchSize();
        this.seq = w.shape().sequenceLength();
        this.h = c.hiddenSize();
        this.hs = PackedMatrix.strideFor(h);
        this.heads = c.numHeads();
        this.headDim = c.headDim();
        this.activation = c.activation();
        int tokens = batch * seq;
        this.x = new float[tokens * hs];
        this.qkv = new float[tokens * 3 * h];
        this.ctx = new float[tokens * hs];
        this.tmp = new float[tokens * hs];
        this.inner = new float[tokens * PackedMatrix.strideFor(c.intermediateSize())];
        if (Kernels.vectorized()) {
            panels = new EncoderGemm.Panels[w.layers().size()][];
            for (int i = 0; i < panels.length; i++) {
                EncoderWeights.Layer l = w.layers().get(i);
                panels[i] = new EncoderGemm.Panels[] {EncoderGemm.Panels.of(l.qkv().weight()),
                        EncoderGemm.Panels.of(l.out().weight()), EncoderGemm.Panels.of(l.up().weight()),
                        EncoderGemm.Panels.of(l.down().weight())};
            }
        } else {
            panels = null;
        }
    }

    /** Loads an encoder artifact; the caller owns the result. */
    public static CpuEncoder load(ArtifactReader r, int threads) {
        return new CpuEncoder(EncoderWeights.load(r), threads);
    }

    /** True when the artifact holds an encoder. */
    public static boolean isEncoder(ArtifactReader r) {
        return EncoderWeights.isEncoder(r);
    }

    @Override
    public ShapeSpec shape() {
        return w.shape();
    }

    @Override
    public ModelConfig config() {
        return w.config();
    }

    @Override
    public Optional<EncoderRunner> encoder() {
        return Optional.of(this);
    }

    @Override
    public DecodeSession newSession() {
        throw new NeuronKernelException(w.config().architecture().modelType() + " is an encoder: it has no "
                + "generation session; run it with the pipeline command");
    }

    @Override
    public EncoderHead head() {
        return w.head();
    }

    @Override
    public int hiddenSize() {
        return h;
    }

    @Override
    public int headWidth() {
        return switch (w.head()) {
            case NONE -> 0;
            case QUESTION_ANSWERING -> 2;
            case MASKED_LM -> w.config().vocabSize();
            default -> w.labels();
        };
    }

    @Override
    public float[] encode(int[] ids, int[] typeIds, int[] mask) {
        if (closed) {
            throw new IllegalStateException("CpuEncoder is closed");
        }
        int tokens = batch * seq;
        if (ids.length != tokens || mask.length != tokens || (typeIds != null && typeIds.length != tokens)) {
            throw new ShapeException("encoder inputs must hold batch_size x sequence_length = " + tokens
                    + " tokens, got " + ids.length);
        }
        embed(ids, typeIds);
        if (panels != null) {
            int[][] real = realTokens(mask);
            for (int i = 0; i < panels.length; i++) {
                layer(w.layers().get(i), panels[i], real, tokens);
            }
            return hidden(tokens);
        }
        for (EncoderWeights.Layer l : w.layers()) {
            Kernels.matmul(l.qkv().weight(), x, hs, tokens, qkv, 3 * h, par);
            addBias(qkv, 3 * h, 3 * h, tokens, l.qkv().bias());
            par.forRange(batch * heads, 1, (long) seq * seq * headDim * 2, (from, to) -> {
                float[] scores = new float[seq];
                for (int bh = from; bh < to; bh++) {
                    attention(bh / heads, bh % heads, mask, scores);
                }
            });
            Kernels.matmul(l.out().weight(), ctx, hs, tokens, tmp, hs, par);
            residualNorm(tmp, l.out().bias(), l.norm1(), tokens);
            int n = l.up().weight().rows();
            int is = PackedMatrix.strideFor(n);
            Kernels.matmul(l.up().weight(), x, hs, tokens, inner, is, par);
            float[] b = l.up().bias();
            par.forRange(tokens, 1, n, (t0, t1) -> {
                for (int t = t0; t < t1; t++) {
                    for (int i = 0; i < n; i++) {
                        inner[t * is + i] = act(inner[t * is + i] + b[i]);
                    }
                }
            });
            Kernels.matmul(l.down().weight(), inner, is, tokens, tmp, hs, par);
            residualNorm(tmp, l.down().bias(), l.norm2(), tokens);
        }
        return hidden(tokens);
    }

    /**
     * One layer on the Vector API: blocked GEMMs with bias (and GELU, or the residual) fused into their
     * epilogues, attention over real tokens as per-head matrix products, and a vectorised LayerNorm pass.
     */
    private void layer(EncoderWeights.Layer l, EncoderGemm.Panels[] p, int[][] real, int tokens) {
        EncoderGemm.multiply(x, hs, tokens, p[0], l.qkv().bias(), EncoderGemm.Epilogue.NONE, null, qkv, 3 * h, par);
        EncoderAttention.run(qkv, h, heads, headDim, seq, real, ctx, hs, par);
        EncoderGemm.multiply(ctx, hs, tokens, p[1], l.out().bias(), EncoderGemm.Epilogue.NONE, x, tmp, hs, par);
        norm(tmp, l.norm1(), tokens);
        int is = PackedMatrix.strideFor(p[2].n());
        EncoderGemm.Epilogue act = switch (activation) {
            case "relu" -> EncoderGemm.Epilogue.RELU;
            case "gelu_new" -> EncoderGemm.Epilogue.GELU_TANH;
            default -> EncoderGemm.Epilogue.GELU;
        };
        EncoderGemm.multiply(x, hs, tokens, p[2], l.up().bias(), act, null, inner, is, par);
        EncoderGemm.multiply(inner, is, tokens, p[3], l.down().bias(), EncoderGemm.Epilogue.NONE, x, tmp, hs, par);
        norm(tmp, l.norm2(), tokens);
    }

    /** {@code x = LN(y)} for every token. */
    private void norm(float[] y, EncoderWeights.Norm norm, int tokens) {
        double eps = w.config().normEps();
        par.forRange(tokens, 1, h * 4L, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                VectorMath.layerNorm(y, t * hs, x, t * hs, h, norm, eps);
            }
        });
    }

    /** Per sequence, the positions whose mask is 1. */
    private int[][] realTokens(int[] mask) {
        int[][] real = new int[batch][];
        for (int b = 0; b < batch; b++) {
            int n = 0;
            for (int i = 0; i < seq; i++) {
                n += mask[b * seq + i] != 0 ? 1 : 0;
            }
            real[b] = new int[n];
            n = 0;
            for (int i = 0; i < seq; i++) {
                if (mask[b * seq + i] != 0) {
                    real[b][n++] = i;
                }
            }
        }
        return real;
    }

    private float[] hidden(int tokens) {
        float[] out = new float[tokens * h];
        for (int t = 0; t < tokens; t++) {
            System.arraycopy(x, t * hs, out, t * h, h);
        }
        return out;
    }

    /** word + position (+ token type), then LayerNorm; position {@code i} of every sequence reads row {@code i}. */
    private void embed(int[] ids, int[] typeIds) {
        int vocab = w.config().vocabSize();
        int types = w.type() == null ? 0 : w.type().length / h;
        for (int t = 0; t < batch * seq; t++) {
            int id = ids[t];
            if (id < 0 || id >= vocab) {
                throw new ShapeException("token id " + id + " is outside the vocabulary of " + vocab);
            }
            w.word().row(id, x, t * hs);
            int pos = t % seq;
            for (int i = 0; i < h; i++) {
                x[t * hs + i] += w.position()[pos * h + i];
            }
            if (types > 0) {
                int type = typeIds == null ? 0 : typeIds[t];
                if (type < 0 || type >= types) {
                    throw new ShapeException("token type id " + type + " is outside the model's " + types + " types");
                }
                for (int i = 0; i < h; i++) {
                    x[t * hs + i] += w.type()[type * h + i];
                }
            }
            layerNorm(x, t * hs, w.embNorm());
        }
    }

    /** One head of one sequence: softmax(q k^T / sqrt(d)) over the sequence's real tokens, times v, into ctx. */
    private void attention(int b, int head, int[] mask, float[] scores) {
        float scale = (float) (1.0 / Math.sqrt(headDim));
        int qOff = head * headDim;
        int kOff = h + head * headDim;
        int vOff = 2 * h + head * headDim;
        int base = b * seq;
        for (int i = 0; i < seq; i++) {
            int qi = (base + i) * 3 * h + qOff;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < seq; j++) {
                if (mask[base + j] == 0) {
                    scores[j] = Float.NEGATIVE_INFINITY;
                    continue;
                }
                scores[j] = Kernels.dot(qkv, qi, qkv, (base + j) * 3 * h + kOff, headDim) * scale;
                max = Math.max(max, scores[j]);
            }
            int co = (base + i) * hs + qOff;
            java.util.Arrays.fill(ctx, co, co + headDim, 0f);
            if (max == Float.NEGATIVE_INFINITY) {
                continue; // an all-padding row: its output is never read
            }
            float sum = 0;
            for (int j = 0; j < seq; j++) {
                scores[j] = scores[j] == Float.NEGATIVE_INFINITY ? 0f : (float) Math.exp(scores[j] - max);
                sum += scores[j];
            }
            for (int j = 0; j < seq; j++) {
                if (scores[j] != 0f) {
                    Kernels.axpy(scores[j] / sum, qkv, (base + j) * 3 * h + vOff, ctx, co, headDim);
                }
            }
        }
    }

    /** {@code x = LN(x + y + bias)} for every token. */
    private void residualNorm(float[] y, float[] bias, EncoderWeights.Norm norm, int tokens) {
        par.forRange(tokens, 1, h * 4L, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int o = t * hs;
                for (int i = 0; i < h; i++) {
                    x[o + i] += y[o + i] + bias[i];
                }
                layerNorm(x, o, norm);
            }
        });
    }

    private void layerNorm(float[] v, int o, EncoderWeights.Norm norm) {
        if (panels != null) {
            VectorMath.layerNorm(v, o, v, o, h, norm, w.config().normEps());
            return;
        }
        EncoderHeads.norm(v, o, h, norm, w.config().normEps());
    }

    private float act(float v) {
        return switch (activation) {
            case "relu" -> Math.max(0f, v);
            case "gelu_new" -> Gelu.tanh(v);
            default -> Gelu.exact(v);
        };
    }

    private static void addBias(float[] a, int stride, int n, int tokens, float[] bias) {
        for (int t = 0; t < tokens; t++) {
            for (int i = 0; i < n; i++) {
                a[t * stride + i] += bias[i];
            }
        }
    }

    @Override
    public float[] head(float[] hidden, int[] rows) {
        return EncoderHeads.apply(w, hidden, rows, batch, seq, par);
    }

    @Override
    public void close() {
        closed = true;
        par.close();
    }
}
