package io.jneuron.cpu.decoder;

import io.jneuron.core.model.DecoderTraits;
import io.jneuron.core.shape.DType;
import io.jneuron.cpu.tensor.Kernels;

/**
 * Causal self-attention over a static KV cache of sequence_length positions, held in chunks of {@link #CHUNK}
 * positions that are allocated (or taken from the model's pool) when the session first reaches them: a
 * generation's cache costs the memory of the positions it uses, not of the compiled sequence length (a
 * 128-token prompt and 64 new tokens use 3 of a 256-position cache's 4 chunks; of a 2048-position one, 3 of 32).
 * Inside a chunk the cache is laid out per kv head so that one head's keys and values are each one contiguous
 * run (the memory streams of decode): values {@code [batch][kvHeads][CHUNK][headDim]}, keys in blocks of
 * {@link Kernels#KEY_BLOCK} positions, transposed inside a block ({@code [batch][kvHeads][block][headDim][KEY_BLOCK]}),
 * so that scores for a block of positions are plain vector products ({@link Kernels#attendHead}). Per-head q/k norms
 * and rotary embeddings (per layer: none for NoPE layers, partial for Phi-3, a local base for Gemma 3's sliding
 * layers), cache writes at each slot's (row, position), and grouped-query attention for work items (slot, head)
 * with the layer's sliding window and score soft-cap. Slots are the decoder's token positions of one step;
 * callers split slots and items across threads, so methods write disjoint ranges.
 *
 * <p>An int8 model keeps its cache in bf16 ({@link Kernels#attendHead16}): half the memory and half the bytes
 * attention reads per token, as NxD Inference keeps a weight-quantized model's cache in its bf16 compute type.
 * fp32, bf16 and fp16 weights keep an fp32 cache, so their logits stay those of the weights (1e-4 of fp64).
 */
final class Attention {
    /** Positions per chunk of the cache (fewer when the sequence is shorter): a multiple of {@link Kernels#KEY_BLOCK}. */
    static final int CHUNK = 64;
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final int qDim;
    private final int kvDim;
    private final int qkvDim;
    /** Positions per chunk, and chunks per layer. */
    private final int chunk;
    private final int chunks;
    /** Key cache floats per (row, kv head) in a chunk: its positions times headDim. */
    private final int keysPerHead;
    private final int attStride;
    private final int rotaryHalf;
    private final float normEps;
    private final float scale;
    private final float softcap;
    /** The fp32 cache {@code [layer][chunk]}, a chunk null until reserved; or null for a 16-bit one. */
    private final float[][][] keys;
    private final float[][][] values;
    /** The 16-bit cache (int8 weights), or null: keys of {@link Kernels#keyCacheInts}, values of {@link Kernels#valueInts}. */
    private final int[][][] keys16;
    private final int[][][] values16;
    /** Ints of one (row, kv head)'s 16-bit keys in a chunk, and of one position's 16-bit value. */
    private final int keyInts;
    private final int valueInts;
    private final int batch;
    private final BufferPool pool;
    /** Chunks reserved so far in every layer. */
    private int reserved;
    private final float[][] ropeCos; // per layer; null where the layer has no positions
    private final float[][] ropeSin;
    private final int[] windows;
    private final DecoderWeights w;

    Attention(DecoderWeights w, int layers, int batch, int seqLen, int attStride, BufferPool pool) {
        this.w = w;
        DecoderTraits t = w.config().traits();
        this.heads = w.config().numHeads();
        this.kvHeads = w.config().numKvHeads();
        this.headDim = w.config().headDim();
        this.qDim = heads * headDim;
        this.kvDim = kvHeads * headDim;
        this.qkvDim = qDim + 2 * kvDim;
        this.batch = batch;
        this.pool = pool;
        this.chunk = Math.min(CHUNK, Kernels.keyCacheLength(seqLen, 1));
        this.keysPerHead = Kernels.keyCacheLength(chunk, headDim);
        this.attStride = attStride;
        this.rotaryHalf = w.rotaryDim() / 2;
        this.normEps = (float) w.config().normEps();
        this.scale = (float) (t.attentionScale() > 0 ? t.attentionScale() : 1.0 / Math.sqrt(headDim));
        this.softcap = (float) t.attnLogitSoftcap();
        boolean half = w.shape().dtype() == DType.INT8;
        this.keyInts = Kernels.keyCacheInts(chunk, headDim);
        this.valueInts = Kernels.valueInts(headDim);
        this.chunks = (seqLen + chunk - 1) / chunk;
        this.keys = half ? null : new float[layers][chunks][];
        this.values = half ? null : new float[layers][chunks][];
        this.keys16 = half ? new int[layers][chunks][] : null;
        this.values16 = half ? new int[layers][chunks][] : null;
        this.ropeCos = new float[layers][];
        this.ropeSin = new float[layers][];
        this.windows = new int[layers];
        for (int l = 0; l < layers; l++) {
            windows[l] = t.window(l);
            // The model's tables, shared with its other sessions (see RotaryTables).
            float[][] tables = w.ropeTables(l);
            ropeCos[l] = tables == null ? null : tables[0];
            ropeSin[l] = tables == null ? null : tables[1];
        }
    }

    /**
     * Makes the chunks holding positions {@code 0..position} ready in every layer. Called before a step's layers
     * run (their threads write the cache and must find it allocated).
     */
    void reserve(int position) {
        int need = Math.min(position / chunk + 1, chunks);
        if (need > reserved) {
            grow(need);
        }
    }

    /**
     * Allocates (or takes from the pool) chunks {@code reserved..need-1} of every layer. Apart from {@link #reserve},
     * which runs every step: as one method, C2 compiled it with the pool's lookups inlined (34-81 ms of a core) in
     * the first generation after the warm-up, in every JVM of a kernel's first cell (JIT log, JDK 17 int8), inside its
     * prefill in some. bin/jneuron and the kernelspec leave this one at the JVM's default compile thresholds.
     */
    private void grow(int need) {
        for (; reserved < need; reserved++) {
            int c = reserved;
            for (int l = 0; l < windows.length; l++) {
                if (keys16 != null) {
                    keys16[l][c] = BufferPool.allocInts(pool, batch * kvHeads * keyInts);
                    values16[l][c] = BufferPool.allocInts(pool, batch * kvHeads * chunk * valueInts);
                } else {
                    keys[l][c] = BufferPool.alloc(pool, batch * kvHeads * keysPerHead);
                    values[l][c] = BufferPool.alloc(pool, batch * kvHeads * chunk * headDim);
                }
            }
        }
    }

    /** Returns the KV cache to the pool it came from; the cache is unusable afterwards. */
    void release() {
        for (int l = 0; l < windows.length; l++) {
            for (int c = 0; c < reserved; c++) {
                if (keys16 != null) {
                    pool.give(keys16[l][c], values16[l][c]);
                } else {
                    pool.give(keys[l][c], values[l][c]);
                }
            }
        }
        reserved = 0;
    }

    /** Normalises and rotates this slot's q and k as the layer says, then writes k and v into the cache. */
    void store(int layer, float[] qkv, int[] slotRow, int[] slotPos, int s0, int s1) {
        LayerWeights lw = w.layers().get(layer);
        float[] cos = ropeCos[layer];
        float[] sin = ropeSin[layer];
        for (int s = s0; s < s1; s++) {
            int base = s * qkvDim;
            if (lw.qNorm() != null) {
                for (int h = 0; h < heads; h++) {
                    headNorm(qkv, base + h * headDim, lw.qNorm());
                }
                for (int h = 0; h < kvHeads; h++) {
                    headNorm(qkv, base + qDim + h * headDim, lw.kNorm());
                }
            }
            if (cos != null) {
                int pos = slotPos[s];
                for (int h = 0; h < heads; h++) {
                    rotate(qkv, base + h * headDim, pos, cos, sin);
                }
                for (int h = 0; h < kvHeads; h++) {
                    rotate(qkv, base + qDim + h * headDim, pos, cos, sin);
                }
            }
            int c = slotPos[s] / chunk;
            int pc = slotPos[s] % chunk;
            if (keys16 != null) {
                for (int h = 0; h < kvHeads; h++) {
                    int head = slotRow[s] * kvHeads + h;
                    Kernels.storeKey16(qkv, base + qDim + h * headDim, headDim, keys16[layer][c], head * keyInts, pc);
                    Kernels.storeValue16(qkv, base + qDim + kvDim + h * headDim, headDim, values16[layer][c],
                            (head * chunk + pc) * valueInts);
                }
                continue;
            }
            for (int h = 0; h < kvHeads; h++) {
                System.arraycopy(qkv, base + qDim + kvDim + h * headDim, values[layer][c],
                        ((slotRow[s] * kvHeads + h) * chunk + pc) * headDim, headDim);
            }
        }
        if (keys16 != null) {
            return;
        }
        float[][] kc = keys[layer];
        if (s1 - s0 == 1) {
            // Decode: one position, its offsets worked out once (two divisions an element cost ~3 us a layer).
            int p = slotPos[s0];
            float[] dst = kc[p / chunk];
            int from = s0 * qkvDim + qDim;
            for (int h = 0; h < kvHeads; h++) {
                int at = (slotRow[s0] * kvHeads + h) * keysPerHead + Kernels.keyOffset(p % chunk, 0, headDim);
                for (int d = 0; d < headDim; d++) {
                    dst[at + d * Kernels.KEY_BLOCK] = qkv[from + h * headDim + d];
                }
            }
            return;
        }
        // Keys go in transposed: dimension outer, slots inner, so a prefill writes runs of consecutive positions
        // (one slot at a time would touch a new cache line per element).
        for (int h = 0; h < kvHeads; h++) {
            for (int d = 0; d < headDim; d++) {
                for (int s = s0; s < s1; s++) {
                    int p = slotPos[s];
                    kc[p / chunk][(slotRow[s] * kvHeads + h) * keysPerHead + Kernels.keyOffset(p % chunk, d, headDim)] =
                            qkv[s * qkvDim + qDim + h * headDim + d];
                }
            }
        }
    }

    /** RMSNorm over one head (statistics in double, like the decoder's norms). */
    private void headNorm(float[] v, int at, float[] weight) {
        double ss = 0;
        for (int i = 0; i < headDim; i++) {
            ss += (double) v[at + i] * v[at + i];
        }
        float inv = (float) (1.0 / Math.sqrt(ss / headDim + normEps));
        for (int i = 0; i < headDim; i++) {
            v[at + i] = weight[i] * (v[at + i] * inv);
        }
    }

    /** HF's rotate_half convention over the rotary part: element i pairs with i + rotaryDim/2; the rest passes. */
    private void rotate(float[] v, int at, int pos, float[] cosT, float[] sinT) {
        int half = rotaryHalf;
        int t = pos * half;
        for (int i = 0; i < half; i++) {
            float a = v[at + i];
            float b = v[at + i + half];
            float cos = cosT[t + i];
            float sin = sinT[t + i];
            v[at + i] = a * cos - b * sin;
            v[at + i + half] = b * cos + a * sin;
        }
    }

    /**
     * Causal attention for work items (slot, head) in {@code [i0, i1)}; GQA maps heads to kv heads. A query
     * at position i of a sliding layer sees keys i - window + 1 .. i (transformers' {@code kv > q - window}).
     */
    void attend(int layer, float[] qkv, float[] att, int[] slotRow, int[] slotPos, int i0, int i1) {
        int group = heads / kvHeads;
        int window = windows[layer];
        // The items of one slot at once (Kernels.attendHeads reads their cache chunk by chunk).
        for (int item = i0; item < i1; ) {
            int s = item / heads;
            int h = item % heads;
            int n = Math.min(i1, (s + 1) * heads) - item;
            int row = slotRow[s] * kvHeads;
            int last = slotPos[s];
            int first = window > 0 ? Math.max(0, last - window + 1) : 0;
            int qo = s * qkvDim + h * headDim;
            int oo = s * attStride + h * headDim;
            if (keys16 != null) {
                Kernels.attendHeads16(qkv, qo, keys16[layer], row * keyInts, values16[layer], row * chunk * valueInts,
                        chunk, headDim, first, last, scale, softcap, att, oo, h, n, group);
            } else {
                Kernels.attendHeads(qkv, qo, keys[layer], row * keysPerHead, values[layer], row * chunk * headDim,
                        chunk, headDim, first, last, scale, softcap, att, oo, h, n, group);
            }
            item += n;
        }
    }
}
