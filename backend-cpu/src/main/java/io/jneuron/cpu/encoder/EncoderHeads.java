package io.jneuron.cpu.encoder;

import io.jneuron.core.model.Architecture;
import io.jneuron.cpu.tensor.Kernels;
import io.jneuron.cpu.tensor.PackedMatrix;
import io.jneuron.cpu.tensor.Parallel;

/**
 * The task heads over an encoder's last hidden state. Sequence classification reads each sequence's
 * first token through a dense layer (BERT's pooler and RoBERTa's classifier: tanh; DistilBERT's
 * pre-classifier: ReLU) and the classifier; token classification and question answering are one
 * linear layer per token; fill-mask is dense + GELU + LayerNorm + the (usually tied) vocabulary projection.
 */
final class EncoderHeads {
    private EncoderHeads() {
    }

    static float[] apply(EncoderWeights w, float[] hidden, int[] rows, int batch, int seq, Parallel par) {
        int h = w.config().hiddenSize();
        int[] picked = switch (w.head()) {
            case NONE -> throw new IllegalStateException("the model has no head");
            case SEQUENCE_CLASSIFICATION -> {
                int[] first = new int[batch];
                for (int b = 0; b < batch; b++) {
                    first[b] = b * seq;
                }
                yield first;
            }
            default -> rows;
        };
        int n = picked.length;
        int hs = PackedMatrix.strideFor(h);
        float[] in = new float[n * hs];
        for (int r = 0; r < n; r++) {
            System.arraycopy(hidden, picked[r] * h, in, r * hs, h);
        }
        if (w.headDense() != null) {
            float[] d = new float[n * hs];
            Kernels.matmul(w.headDense().weight(), in, hs, n, d, hs, par);
            boolean seqCls = w.head() == io.jneuron.core.model.EncoderHead.SEQUENCE_CLASSIFICATION;
            boolean relu = seqCls && w.config().architecture() == Architecture.DISTILBERT;
            for (int r = 0; r < n; r++) {
                for (int i = 0; i < h; i++) {
                    float v = d[r * hs + i] + w.headDense().bias()[i];
                    d[r * hs + i] = relu ? Math.max(0f, v) : seqCls ? (float) Math.tanh(v)
                            : w.config().activation().equals("gelu_new") ? Gelu.tanh(v) : Gelu.exact(v);
                }
                if (w.headNorm() != null) {
                    norm(d, r * hs, h, w.headNorm(), w.config().normEps());
                }
            }
            in = d;
        }
        EncoderWeights.Linear out = w.headOut();
        int width = out.weight().rows();
        float[] logits = new float[n * width];
        Kernels.matmul(out.weight(), in, hs, n, logits, width, par);
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < width; i++) {
                logits[r * width + i] += out.bias()[i];
            }
        }
        return logits;
    }

    /** LayerNorm of {@code v[o .. o+h)} in place (statistics in double). */
    static void norm(float[] v, int o, int h, EncoderWeights.Norm norm, double eps) {
        double mean = 0;
        for (int i = 0; i < h; i++) {
            mean += v[o + i];
        }
        mean /= h;
        double var = 0;
        for (int i = 0; i < h; i++) {
            double d = v[o + i] - mean;
            var += d * d;
        }
        double inv = 1.0 / Math.sqrt(var / h + eps);
        for (int i = 0; i < h; i++) {
            v[o + i] = (float) ((v[o + i] - mean) * inv) * norm.weight()[i] + norm.bias()[i];
        }
    }
}
