package io.jneuron.cpu.decoder;

import io.jneuron.core.backend.DecodeSession;
import io.jneuron.core.model.ModelConfig;
import io.jneuron.core.shape.ShapeException;
import io.jneuron.cpu.tensor.Kernels;
import io.jneuron.cpu.tensor.PackedMatrix;
import io.jneuron.cpu.tensor.Parallel;

import java.util.Arrays;

/**
 * One generation's state over shared {@link DecoderWeights}: the static KV cache (in {@link Attention}, allocated
 * a chunk of positions at a time as the generation reaches them) and work buffers sized for the bucket in use.
 * Prefill and decode share one forward pass over "slots" (row, position, token): prefill runs
 * {@code batch x bucket} slots, decode {@code batch} slots. Not thread-safe.
 */
public final class DecoderSession implements DecodeSession {
    private final DecoderWeights w;
    private final ModelConfig c;
    private final Parallel par;
    private final int batch;
    private final int seqLen;
    private final int hidden;
    private final int hs; // padded hidden stride
    private final int heads;
    private final int headDim;
    private final int qDim;
    private final int qkvDim;
    private final int upRows;
    private final int inter;
    private final int attStride;
    private final int actStride;
    private final Attention attention;
    private final int[] positions;
    private final float embeddingMultiplier;
    private final float residualMultiplier;
    // work buffers, indexed by slot; x holds hs floats a slot, so x.length / hs slots fit (see ensureCapacity)
    private float[] x;
    private float[] xn;
    private float[] qkv;
    private float[] att;
    private float[] proj;
    private float[] mlp;
    private float[] act;
    private final float[] lastHidden;
    private final BufferPool pool;
    private int[] slotRow = new int[0];
    private int[] slotPos = new int[0];
    private boolean prefilled;
    private boolean closed;

    public DecoderSession(DecoderWeights weights, Parallel par) {
        this(weights, par, null);
    }

    /** A session whose KV cache and activations come from, and on close go back to, {@code pool} (may be null). */
    public DecoderSession(DecoderWeights weights, Parallel par, BufferPool pool) {
        this.pool = pool;
        this.w = weights;
        this.c = weights.config();
        this.par = par;
        this.batch = weights.shape().batchSize();
        this.seqLen = weights.shape().sequenceLength();
        this.hidden = c.hiddenSize();
        this.hs = PackedMatrix.strideFor(hidden);
        this.heads = c.numHeads();
        this.headDim = c.headDim();
        this.qDim = heads * headDim;
        this.qkvDim = qDim + 2 * c.numKvHeads() * headDim;
        this.inter = c.intermediateSize();
        this.upRows = weights.layers().get(0).up().rows();
        this.attStride = PackedMatrix.strideFor(qDim);
        this.actStride = PackedMatrix.strideFor(inter);
        int layers = weights.layers().size();
        this.attention = new Attention(weights, layers, batch, seqLen, attStride, pool);
        this.positions = new int[batch];
        this.embeddingMultiplier = (float) c.traits().embeddingMultiplier();
        this.residualMultiplier = (float) c.traits().residualMultiplier();
        allocateWork(batch * weights.shape().buckets().sizes().get(0));
        lastHidden = new float[batch * hs];
    }

    @Override
    public float[][] prefill(int[][] tokens, int[] lengths) {
        ensureOpen();
        if (tokens.length != batch || lengths.length != batch) {
            throw new ShapeException("prefill needs exactly batch_size " + batch + " rows, got " + tokens.length);
        }
        int bucket = tokens[0].length;
        if (!w.shape().buckets().sizes().contains(bucket)) {
            throw new ShapeException("prefill length " + bucket + " is not a compiled bucket " + w.shape().buckets());
        }
        int slots = batch * bucket;
        int[] ids = new int[slots];
        resizeSlots(slots);
        ensureCapacity(slots);
        for (int b = 0; b < batch; b++) {
            if (tokens[b].length != bucket) {
                throw new ShapeException("row " + b + " has " + tokens[b].length + " tokens; every row must be padded to the bucket " + bucket);
            }
            if (lengths[b] < 1 || lengths[b] > bucket) {
                throw new ShapeException("row " + b + " length " + lengths[b] + " is outside 1.." + bucket);
            }
            for (int p = 0; p < bucket; p++) {
                int s = b * bucket + p;
                ids[s] = tokens[b][p];
                slotRow[s] = b;
                slotPos[s] = p;
            }
        }
        forward(ids, slots);
        int[] last = new int[batch];
        for (int b = 0; b < batch; b++) {
            last[b] = b * bucket + lengths[b] - 1;
            positions[b] = lengths[b];
        }
        prefilled = true;
        return logits(last);
    }

    @Override
    public float[][] decode(int[] tokens) {
        ensureOpen();
        if (!prefilled) {
            throw new IllegalStateException("decode before prefill");
        }
        if (tokens.length != batch) {
            throw new ShapeException("decode needs exactly batch_size " + batch + " tokens, got " + tokens.length);
        }
        resizeSlots(batch);
        for (int b = 0; b < batch; b++) {
            if (positions[b] >= seqLen) {
                throw new ShapeException("row " + b + " reached the compiled sequence_length " + seqLen
                        + "; export with a larger --sequence_length");
            }
            slotRow[b] = b;
            slotPos[b] = positions[b];
        }
        forward(tokens, batch);
        for (int b = 0; b < batch; b++) {
            positions[b]++;
        }
        int[] all = new int[batch];
        Arrays.setAll(all, i -> i);
        return logits(all);
    }

    /**
     * Work buffers for the smallest bucket at first, grown when a prefill takes a larger one: most prompts fit the
     * smallest, and buffers for the largest cost RSS that is never touched by them (~6 MB for a 110M Llama with
     * buckets 128 and 256). The smaller ones go back to the pool, where the next session finds them.
     */
    private void ensureCapacity(int slots) {
        if ((long) slots * hs <= x.length) {
            return;
        }
        if (pool != null) {
            pool.give(x, xn, qkv, att, proj, mlp, act);
        }
        allocateWork(slots);
    }

    private void allocateWork(int slots) {
        x = BufferPool.alloc(pool, slots * hs);
        xn = BufferPool.alloc(pool, slots * hs);
        qkv = BufferPool.alloc(pool, slots * qkvDim);
        att = BufferPool.alloc(pool, slots * attStride);
        proj = BufferPool.alloc(pool, slots * hs);
        mlp = BufferPool.alloc(pool, slots * upRows);
        act = BufferPool.alloc(pool, slots * actStride);
    }

    private void resizeSlots(int slots) {
        if (slotRow.length != slots) {
            slotRow = new int[slots];
            slotPos = new int[slots];
        }
    }

    /** Runs every layer over {@code slots} slots, leaving the final residual stream in {@code x}. */
    private void forward(int[] ids, int slots) {
        embed(ids, slots);
        int maxPos = 0;
        for (int s = 0; s < slots; s++) {
            maxPos = Math.max(maxPos, slotPos[s]);
        }
        // One (slot, head) item reads up to maxPos + 1 keys and values: decode late in a long context
        // is worth splitting across threads, the first tokens are not. Decode's attention streams its cache from
        // memory as its products stream weights, so it is cut as they are: a long run of heads a thread.
        long attendCost = (long) headDim * Math.max(64, 2L * (maxPos + 1));
        boolean decoding = slots == batch && prefilled;
        attention.reserve(maxPos);
        for (int l = 0; l < w.layers().size(); l++) {
            LayerWeights lw = w.layers().get(l);
            norm(x, xn, slots, lw.norm1Weight(), lw.norm1Bias());
            Kernels.matmul(lw.qkv(), xn, hs, slots, qkv, qkvDim, par);
            addBias(qkv, qkvDim, slots, lw.qkvBias());
            int layer = l;
            int[] rows = slotRow;
            int[] pos = slotPos;
            par.forRange(slots, 1, (long) qkvDim * 4, (s0, s1) -> attention.store(layer, qkv, rows, pos, s0, s1));
            par.forRange(slots * heads, 1, attendCost, decoding,
                    (i0, i1) -> attention.attend(layer, qkv, att, rows, pos, i0, i1));
            Kernels.matmul(lw.out(), att, attStride, slots, proj, hs, par);
            addBias(proj, hs, slots, lw.outBias());
            residual(proj, slots, lw.postAttnNorm());
            norm(x, xn, slots, lw.norm2Weight(), lw.norm2Bias());
            Kernels.matmul(lw.up(), xn, hs, slots, mlp, upRows, par);
            addBias(mlp, upRows, slots, lw.upBias());
            activate(slots);
            Kernels.matmul(lw.down(), act, actStride, slots, proj, hs, par);
            addBias(proj, hs, slots, lw.downBias());
            residual(proj, slots, lw.postMlpNorm());
        }
    }

    /** Adds a block's output to the stream: normalised first (Gemma), scaled by the residual multiplier (Granite). */
    private void residual(float[] out, int slots, float[] postNorm) {
        if (postNorm != null) {
            norm(out, out, slots, postNorm, null);
        }
        float m = residualMultiplier;
        if (m != 1f) {
            for (int s = 0; s < slots; s++) {
                int o = s * hs;
                for (int i = 0; i < hidden; i++) {
                    out[o + i] *= m;
                }
            }
        }
        addInto(x, out, slots);
    }

    private void embed(int[] ids, int slots) {
        int vocab = w.tokenEmbedding().rows();
        for (int s = 0; s < slots; s++) {
            int id = ids[s];
            if (id < 0 || id >= vocab) {
                throw new ShapeException("token id " + id + " is outside the vocabulary 0.." + (vocab - 1));
            }
            w.tokenEmbedding().row(id, x, s * hs);
            if (embeddingMultiplier != 1f) {
                for (int i = 0; i < hidden; i++) {
                    x[s * hs + i] *= embeddingMultiplier;
                }
            }
            if (w.positionEmbedding() != null) {
                int po = slotPos[s] * hidden;
                for (int i = 0; i < hidden; i++) {
                    x[s * hs + i] += w.positionEmbedding()[po + i];
                }
            }
        }
    }

    /** LayerNorm when a bias is given (GPT-2), RMSNorm otherwise (Llama); statistics in double. */
    private void norm(float[] in, float[] out, int slots, float[] weight, float[] bias) {
        double eps = c.normEps();
        par.forRange(slots, 1, hidden * 4L, (s0, s1) -> {
            for (int s = s0; s < s1; s++) {
                int o = s * hs;
                if (bias != null) {
                    double mean = 0;
                    for (int i = 0; i < hidden; i++) {
                        mean += in[o + i];
                    }
                    mean /= hidden;
                    double var = 0;
                    for (int i = 0; i < hidden; i++) {
                        double d = in[o + i] - mean;
                        var += d * d;
                    }
                    double inv = 1.0 / Math.sqrt(var / hidden + eps);
                    for (int i = 0; i < hidden; i++) {
                        out[o + i] = (float) ((in[o + i] - mean) * inv) * weight[i] + bias[i];
                    }
                } else {
                    double ss = 0;
                    for (int i = 0; i < hidden; i++) {
                        ss += (double) in[o + i] * in[o + i];
                    }
                    float inv = (float) (1.0 / Math.sqrt(ss / hidden + eps));
                    for (int i = 0; i < hidden; i++) {
                        out[o + i] = weight[i] * (in[o + i] * inv);
                    }
                }
            }
        });
    }

    /** GPT-2: gelu_new over c_fc; the others act(gate) * up, gate rows first, act silu or gelu_pytorch_tanh (Gemma). */
    private void activate(int slots) {
        boolean gated = w.rotary();
        boolean gelu = !gated || c.activation().equals("gelu_pytorch_tanh");
        par.forRange(slots, 1, inter * 8L, (s0, s1) -> {
            for (int s = s0; s < s1; s++) {
                int in = s * upRows;
                Kernels.activate(gelu, mlp, in, gated ? mlp : null, in + inter, act, s * actStride, inter);
            }
        });
    }

    private void addBias(float[] buf, int stride, int slots, float[] bias) {
        if (bias == null) {
            return;
        }
        for (int s = 0; s < slots; s++) {
            int o = s * stride;
            for (int i = 0; i < bias.length; i++) {
                buf[o + i] += bias[i];
            }
        }
    }

    private void addInto(float[] dst, float[] src, int slots) {
        for (int s = 0; s < slots; s++) {
            int o = s * hs;
            for (int i = 0; i < hidden; i++) {
                dst[o + i] += src[o + i];
            }
        }
    }

    /** Final norm and LM head for the given slots, one per batch row. */
    private float[][] logits(int[] slots) {
        for (int b = 0; b < batch; b++) {
            System.arraycopy(x, slots[b] * hs, lastHidden, b * hs, hs);
        }
        float[] normed = new float[batch * hs];
        norm(lastHidden, normed, batch, w.finalNormWeight(), w.finalNormBias());
        int vocab = w.lmHead().rows();
        float[] flat = new float[batch * vocab];
        Kernels.matmul(w.lmHead(), normed, hs, batch, flat, vocab, par);
        double cap = c.traits().finalLogitSoftcap();
        double divide = c.traits().logitsScaling();
        if (cap > 0 || divide != 1) {
            for (int i = 0; i < flat.length; i++) {
                double v = flat[i] / divide;
                flat[i] = (float) (cap > 0 ? cap * Kernels.tanh(v / cap) : v);
            }
        }
        if (batch == 1) {
            return new float[][] {flat}; // the caller owns it; no second 128 KB copy per token
        }
        float[][] out = new float[batch][];
        for (int b = 0; b < batch; b++) {
            out[b] = Arrays.copyOfRange(flat, b * vocab, (b + 1) * vocab);
        }
        return out;
    }

    /**
     * Allocates (or takes from the pool) what a generation of {@code positions} positions needs now rather than in
     * its first step: the warm-up has the first real session's cache chunks ready in the model's pool this way.
     */
    void reserve(int positions) {
        ensureOpen();
        attention.reserve(Math.min(positions, seqLen) - 1);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("DecoderSession is closed");
        }
    }

    @Override
    public void close() {
        if (!closed && pool != null) {
            attention.release();
            pool.give(x, xn, qkv, att, proj, mlp, act);
        }
        closed = true;
    }
}
