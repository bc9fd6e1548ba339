package io.jneuron.cpu.encoder;

import io.jneuron.core.model.Architecture;
import io.jneuron.core.model.Checkpoint;
import io.jneuron.core.model.EncoderConfig;
import io.jneuron.core.model.ModelConfig;
import io.jneuron.core.model.ModelFormatException;
import io.jneuron.core.shape.DType;
import io.jneuron.cpu.decoder.WeightMapping;

import java.util.Arrays;

/**
 * BERT, DistilBERT, RoBERTa and XLM-RoBERTa checkpoints to the packed tensors of {@link EncoderNames}.
 * Query, key and value are stacked into one matrix; RoBERTa's position table is stored from its
 * {@code pad_token_id + 1} row on, so position {@code i} of a sequence reads row {@code i}. The head the
 * checkpoint has (by its {@code architectures} class) is packed as a dense / norm / out triple.
 */
public final class EncoderMapping extends WeightMapping {
    private final EncoderConfig enc;

    public EncoderMapping(Checkpoint checkpoint, EncoderConfig encoder, DType dtype) {
        super(checkpoint, dtype);
        this.enc = encoder;
    }

    /** The encoder's body tensor names for one architecture. */
    private record Names(String word, String position, String type, String embNorm, String layers, String q,
                         String k, String v, String out, String norm1, String up, String down, String norm2) {
    }

    private static final Names BERT = new Names("embeddings.word_embeddings", "embeddings.position_embeddings",
            "embeddings.token_type_embeddings", "embeddings.LayerNorm", "encoder.layer.",
            "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
            "attention.output.LayerNorm", "intermediate.dense", "output.dense", "output.LayerNorm");
    private static final Names DISTIL = new Names("embeddings.word_embeddings", "embeddings.position_embeddings",
            null, "embeddings.LayerNorm", "transformer.layer.", "attention.q_lin", "attention.k_lin",
            "attention.v_lin", "attention.out_lin", "sa_layer_norm", "ffn.lin1", "ffn.lin2", "output_layer_norm");

    @Override
    protected void declare() {
        ModelConfig c = ckpt.config();
        Architecture a = c.architecture();
        Names n = a == Architecture.DISTILBERT ? DISTIL : BERT;
        String base = switch (a) {
            case DISTILBERT -> "distilbert.";
            case ROBERTA, XLM_ROBERTA -> "roberta.";
            default -> "bert.";
        };
        String p = ckpt.has(base + n.word() + ".weight") ? base : "";
        int h = c.hiddenSize();
        int inner = c.intermediateSize();
        int v = c.vocabSize();
        int positions = c.maxPositionEmbeddings() - enc.positionOffset();
        matrix(EncoderNames.WORD, v, h, () -> read(p + n.word() + ".weight", v, h));
        vector(EncoderNames.POSITION, positions * h, () -> {
            float[] all = read(p + n.position() + ".weight", c.maxPositionEmbeddings(), h);
            return Arrays.copyOfRange(all, enc.positionOffset() * h, all.length);
        });
        if (n.type() != null && enc.typeVocabSize() > 0) {
            vector(EncoderNames.TYPE, enc.typeVocabSize() * h, () -> read(p + n.type() + ".weight", enc.typeVocabSize(), h));
        }
        norm(EncoderNames.EMB_NORM, p + n.embNorm(), h);
        for (int i = 0; i < c.numLayers(); i++) {
            String l = p + n.layers() + i + ".";
            matrix(EncoderNames.layer(i, "qkv.weight"), 3 * h, h, () -> concat(read(l + n.q() + ".weight", h, h),
                    read(l + n.k() + ".weight", h, h), read(l + n.v() + ".weight", h, h)));
            vector(EncoderNames.layer(i, "qkv.bias"), 3 * h, () -> concat(read(l + n.q() + ".bias", h),
                    read(l + n.k() + ".bias", h), read(l + n.v() + ".bias", h)));
            linear(EncoderNames.layer(i, "out"), l + n.out(), h, h);
            norm(EncoderNames.layer(i, "norm1"), l + n.norm1(), h);
            linear(EncoderNames.layer(i, "up"), l + n.up(), inner, h);
            linear(EncoderNames.layer(i, "down"), l + n.down(), h, inner);
            norm(EncoderNames.layer(i, "norm2"), l + n.norm2(), h);
        }
        head(a, h, v);
    }

    private void head(Architecture a, int h, int v) {
        boolean distil = a == Architecture.DISTILBERT;
        boolean roberta = a == Architecture.ROBERTA || a == Architecture.XLM_ROBERTA;
        int labels = enc.labels().size();
        switch (enc.head()) {
            case NONE -> {
            }
            case SEQUENCE_CLASSIFICATION -> {
                String dense = distil ? "pre_classifier" : roberta ? "classifier.dense" : "bert.pooler.dense";
                linear(EncoderNames.HEAD_DENSE, dense, h, h);
                linear(EncoderNames.HEAD_OUT, roberta ? "classifier.out_proj" : "classifier", labels, h);
            }
            case TOKEN_CLASSIFICATION -> linear(EncoderNames.HEAD_OUT, "classifier", labels, h);
            case QUESTION_ANSWERING -> linear(EncoderNames.HEAD_OUT, "qa_outputs", 2, h);
            case MASKED_LM -> {
                String dense = distil ? "vocab_transform" : roberta ? "lm_head.dense" : "cls.predictions.transform.dense";
                String norm = distil ? "vocab_layer_norm" : roberta ? "lm_head.layer_norm"
                        : "cls.predictions.transform.LayerNorm";
                linear(EncoderNames.HEAD_DENSE, dense, h, h);
                norm(EncoderNames.HEAD_NORM, norm, h);
                String bias = distil ? "vocab_projector.bias" : roberta ? "lm_head.bias" : "cls.predictions.bias";
                if (!ckpt.has(bias)) {
                    bias = distil ? bias : roberta ? "lm_head.decoder.bias" : "cls.predictions.decoder.bias";
                }
                String b = bias;
                vector(EncoderNames.HEAD_OUT + ".bias", v, () -> read(b, v));
                String decoder = distil ? "vocab_projector.weight" : roberta ? "lm_head.decoder.weight"
                        : "cls.predictions.decoder.weight";
                if (ckpt.has(decoder)) {
                    matrix(EncoderNames.HEAD_OUT + ".weight", v, h, () -> read(decoder, v, h));
                }
            }
            default -> throw new ModelFormatException("unsupported head " + enc.head());
        }
        vector(EncoderNames.headKind(enc.head()), 1, () -> new float[] {labels});
    }

    private void linear(String name, String source, int rows, int cols) {
        matrix(name + ".weight", rows, cols, () -> read(source + ".weight", rows, cols));
        vector(name + ".bias", rows, () -> read(source + ".bias", rows));
    }

    private void norm(String name, String source, int h) {
        vector(name + ".weight", h, () -> read(source + ".weight", h));
        vector(name + ".bias", h, () -> read(source + ".bias", h));
    }
}
