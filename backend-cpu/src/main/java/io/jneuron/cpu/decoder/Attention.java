package io.jneuron.cpu.decoder;

import io.jneuron.cpu.tensor.Kernels;

import java.util.Arrays;

/**
 * Causal self-attention over a static KV cache {@code [layer][batch][sequence_length][kvHeads * headDim]},
 * allocated once per session: rotary embeddings (Llama), cache writes at each slot's (row, position),
 * and grouped-query attention for work items (slot, head). Slots are the decoder's token positions
 * of one step; callers split slots and items across threads, so methods write disjoint ranges.
 */
final class Attention {
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final int qDim;
    private final int kvDim;
    private final int qkvDim;
    private final int seqLen;
    private final int attStride;
    private final float[][] keys;
    private final float[][] values;
    private final float[] ropeCos;
    private final float[] ropeSin;

    Attention(DecoderWeights w, int layers, int batch, int seqLen, int attStride) {
        this.heads = w.config().numHeads();
        this.kvHeads = w.config().numKvHeads();
        this.headDim = w.config().headDim();
        this.qDim = heads * headDim;
        this.kvDim = kvHeads * headDim;
        this.qkvDim = qDim + 2 * kvDim;
        this.seqLen = seqLen;
        this.attStride = attStride;
        this.keys = new float[layers][batch * seqLen * kvDim];
        this.values = new float[layers][batch * seqLen * kvDim];
        if (w.rotary()) {
            float[][] t = w.ropeTables();
            ropeCos = t[0];
            ropeSin = t[1];
        } else {
            ropeCos = null;
            ropeSin = null;
        }
    }

    /** Applies rotary embeddings to this slot's q and k, then writes k and v into the cache. */
    void store(int layer, float[] qkv, int[] slotRow, int[] slotPos, int s0, int s1) {
        float[] kc = keys[layer];
        float[] vc = values[layer];
        for (int s = s0; s < s1; s++) {
            int base = s * qkvDim;
            if (ropeCos != null) {
                int pos = slotPos[s];
                for (int h = 0; h < heads; h++) {
                    rotate(qkv, base + h * headDim, pos);
                }
                for (int h = 0; h < kvHeads; h++) {
                    rotate(qkv, base + qDim + h * headDim, pos);
                }
            }
            int cacheAt = (slotRow[s] * seqLen + slotPos[s]) * kvDim;
            System.arraycopy(qkv, base + qDim, kc, cacheAt, kvDim);
            System.arraycopy(qkv, base + qDim + kvDim, vc, cacheAt, kvDim);
        }
    }

    /** HF's rotate_half convention: element i pairs with i + headDim/2. */
    private void rotate(float[] v, int at, int pos) {
        int half = headDim / 2;
        int t = pos * half;
        for (int i = 0; i < half; i++) {
            float a = v[at + i];
            float b = v[at + i + half];
            float cos = ropeCos[t + i];
            float sin = ropeSin[t + i];
            v[at + i] = a * cos - b * sin;
            v[at + i + half] = b * cos + a * sin;
        }
    }

    /** Causal attention for work items (slot, head) in {@code [i0, i1)}; GQA maps heads to kv heads. */
    void attend(int layer, float[] qkv, float[] att, int[] slotRow, int[] slotPos, int i0, int i1) {
        float[] kc = keys[layer];
        float[] vc = values[layer];
        float[] scores = new float[seqLen];
        float scale = (float) (1.0 / Math.sqrt(headDim));
        int group = heads / kvHeads;
        for (int item = i0; item < i1; item++) {
            int s = item / heads;
            int h = item % heads;
            int kvh = h / group;
            int q = s * qkvDim + h * headDim;
            int rowBase = slotRow[s] * seqLen;
            int last = slotPos[s];
            float max = Float.NEGATIVE_INFINITY;
            for (int p = 0; p <= last; p++) {
                float sc = Kernels.dot(qkv, q, kc, (rowBase + p) * kvDim + kvh * headDim, headDim) * scale;
                scores[p] = sc;
                max = Math.max(max, sc);
            }
            double sum = 0;
            for (int p = 0; p <= last; p++) {
                float e = (float) Math.exp(scores[p] - max);
                scores[p] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            int o = s * attStride + h * headDim;
            Arrays.fill(att, o, o + headDim, 0f);
            for (int p = 0; p <= last; p++) {
                Kernels.axpy(scores[p] * inv, vc, (rowBase + p) * kvDim + kvh * headDim, att, o, headDim);
            }
        }
    }
}
