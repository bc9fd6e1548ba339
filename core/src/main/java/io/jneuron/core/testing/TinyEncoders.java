package io.jneuron.core.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.model.Architecture;
import io.jneuron.core.model.EncoderHead;
import io.jneuron.core.model.SafetensorsWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random-weight BERT, DistilBERT, RoBERTa and XLM-RoBERTa checkpoints with any task head, in real Hugging
 * Face format (config.json with the keys transformers reads, model.safetensors under transformers' names,
 * a small WordPiece tokenizer.json and tokenizer_config.json), for tests and tutorials. Weights are a pure
 * function of (seed, tensor name). Not trained: outputs are meaningless, only their computation is tested.
 */
public final class TinyEncoders {
    /** Sizes small enough for fast tests, with several heads and layers so indexing mistakes show. */
    public static final int HIDDEN = 32;
    public static final int HEADS = 4;
    public static final int LAYERS = 2;
    public static final int INTERMEDIATE = 64;
    public static final int POSITIONS = 72;
    static final List<String> LABELS = List.of("O", "B-PER", "I-PER", "B-LOC", "I-LOC");
    /** WordPiece vocabulary: specials, then whole words, then letters and their continuations. */
    static final List<String> WORDS = List.of("the", "a", "man", "is", "eating", "food", "paris", "city", "in",
            "lives", "john", "who", "where", "does", "berlin", "capital", "of", "france", "germany", ".", ",", "?", "!");

    private TinyEncoders() {
    }

    /** Writes a checkpoint of {@code arch} with {@code head} into {@code dir} (which must not exist or be empty). */
    public static Path generate(Architecture arch, EncoderHead head, long seed, Path dir) {
        if (!arch.isEncoder()) {
            throw new NeuronKernelException(arch.modelType() + " is not an encoder; use bert, distilbert, roberta or"
                    + " xlm-roberta");
        }
        try {
            if (Files.exists(dir) && Files.list(dir).findAny().isPresent()) {
                throw new NeuronKernelException(dir + " exists and is not empty; choose a new folder");
            }
            Files.createDirectories(dir);
            List<String> vocab = vocab(arch);
            writeTokenizer(arch, vocab, dir);
            writeConfig(arch, head, vocab.size(), dir);
            writeWeights(arch, head, vocab.size(), seed, dir);
            return dir;
        } catch (IOException e) {
            throw new NeuronKernelException("cannot write the tiny encoder to " + dir + ": " + e, e);
        }
    }

    static List<String> vocab(Architecture arch) {
        boolean roberta = arch == Architecture.ROBERTA || arch == Architecture.XLM_ROBERTA;
        List<String> v = new java.util.ArrayList<>(roberta ? List.of("<s>", "<pad>", "</s>", "<unk>", "<mask>")
                : List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        v.addAll(WORDS);
        for (char c = 'a'; c <= 'z'; c++) {
            v.add(String.valueOf(c));
            v.add("##" + c);
        }
        return v;
    }

    private static void writeTokenizer(Architecture arch, List<String> vocab, Path dir) {
        boolean roberta = arch == Architecture.ROBERTA || arch == Architecture.XLM_ROBERTA;
        String cls = vocab.get(roberta ? 0 : 2);
        String sep = vocab.get(roberta ? 2 : 3);
        String pad = vocab.get(roberta ? 1 : 0);
        String unk = vocab.get(roberta ? 3 : 1);
        String mask = vocab.get(4);
        ObjectNode t = JsonFiles.object();
        t.put("version", "1.0");
        t.putNull("truncation");
        t.putNull("padding");
        ArrayNode added = t.putArray("added_tokens");
        for (int i = 0; i < 5; i++) {
            ObjectNode a = added.addObject();
            a.put("id", i);
            a.put("content", vocab.get(i));
            a.put("single_word", false);
            a.put("lstrip", false);
            a.put("rstrip", false);
            a.put("normalized", false);
            a.put("special", true);
        }
        ObjectNode norm = t.putObject("normalizer");
        norm.put("type", "BertNormalizer");
        norm.put("clean_text", true);
        norm.put("handle_chinese_chars", true);
        norm.putNull("strip_accents");
        norm.put("lowercase", true);
        t.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
        ObjectNode post = t.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        special(single, cls, 0);
        sequence(single, "A", 0);
        special(single, sep, 0);
        ArrayNode pair = post.putArray("pair");
        special(pair, cls, 0);
        sequence(pair, "A", 0);
        special(pair, sep, 0);
        sequence(pair, "B", arch == Architecture.BERT ? 1 : 0);
        special(pair, sep, arch == Architecture.BERT ? 1 : 0);
        ObjectNode specials = post.putObject("special_tokens");
        for (String s : List.of(cls, sep)) {
            ObjectNode o = specials.putObject(s);
            o.put("id", s);
            o.putArray("ids").add(vocab.indexOf(s));
            o.putArray("tokens").add(s);
        }
        ObjectNode dec = t.putObject("decoder");
        dec.put("type", "WordPiece");
        dec.put("prefix", "##");
        dec.put("cleanup", true);
        ObjectNode model = t.putObject("model");
        model.put("type", "WordPiece");
        model.put("unk_token", unk);
        model.put("continuing_subword_prefix", "##");
        model.put("max_input_chars_per_word", 100);
        ObjectNode v = model.putObject("vocab");
        for (int i = 0; i < vocab.size(); i++) {
            v.put(vocab.get(i), i);
        }
        JsonFiles.write(dir.resolve("tokenizer.json"), t);
        ObjectNode tc = JsonFiles.object();
        tc.put("cls_token", cls);
        tc.put("mask_token", mask);
        tc.put("model_max_length", POSITIONS);
        tc.put("pad_token", pad);
        tc.put("sep_token", sep);
        tc.put("unk_token", unk);
        JsonFiles.write(dir.resolve("tokenizer_config.json"), tc);
    }

    private static void special(ArrayNode a, String id, int type) {
        ObjectNode s = a.addObject().putObject("SpecialToken");
        s.put("id", id);
        s.put("type_id", type);
    }

    private static void sequence(ArrayNode a, String id, int type) {
        ObjectNode s = a.addObject().putObject("Sequence");
        s.put("id", id);
        s.put("type_id", type);
    }

    private static String className(Architecture arch, EncoderHead head) {
        String base = switch (arch) {
            case BERT -> "Bert";
            case DISTILBERT -> "DistilBert";
            case ROBERTA -> "Roberta";
            default -> "XLMRoberta";
        };
        return base + head.classSuffix();
    }

    private static void writeConfig(Architecture arch, EncoderHead head, int vocab, Path dir) {
        ObjectNode c = JsonFiles.object();
        c.putArray("architectures").add(className(arch, head));
        boolean distil = arch == Architecture.DISTILBERT;
        if (distil) {
            c.put("activation", "gelu");
            c.put("dim", HIDDEN);
            c.put("hidden_dim", INTERMEDIATE);
            c.put("n_heads", HEADS);
            c.put("n_layers", LAYERS);
            c.put("sinusoidal_pos_embds", false);
        } else {
            c.put("hidden_act", "gelu");
            c.put("hidden_size", HIDDEN);
            c.put("intermediate_size", INTERMEDIATE);
            c.put("layer_norm_eps", 1e-12);
            c.put("num_attention_heads", HEADS);
            c.put("num_hidden_layers", LAYERS);
            c.put("position_embedding_type", "absolute");
            c.put("type_vocab_size", arch == Architecture.BERT ? 2 : 1);
        }
        if (head == EncoderHead.SEQUENCE_CLASSIFICATION || head == EncoderHead.TOKEN_CLASSIFICATION) {
            List<String> labels = head == EncoderHead.TOKEN_CLASSIFICATION ? LABELS : List.of("NEGATIVE", "POSITIVE");
            ObjectNode id2label = c.putObject("id2label");
            ObjectNode label2id = c.putObject("label2id");
            for (int i = 0; i < labels.size(); i++) {
                id2label.put(String.valueOf(i), labels.get(i));
                label2id.put(labels.get(i), i);
            }
        }
        c.put("max_position_embeddings", POSITIONS);
        c.put("model_type", arch.modelType());
        c.put("pad_token_id", arch == Architecture.ROBERTA || arch == Architecture.XLM_ROBERTA ? 1 : 0);
        c.put("torch_dtype", "float32");
        c.put("transformers_version", ConfigFiles.TRANSFORMERS_VERSION);
        c.put("vocab_size", vocab);
        JsonFiles.write(dir.resolve("config.json"), c);
    }

    private static void writeWeights(Architecture arch, EncoderHead head, int vocab, long seed, Path dir) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        boolean distil = arch == Architecture.DISTILBERT;
        boolean roberta = arch == Architecture.ROBERTA || arch == Architecture.XLM_ROBERTA;
        String p = head == EncoderHead.NONE ? "" : distil ? "distilbert." : roberta ? "roberta." : "bert.";
        long h = HIDDEN;
        shapes.put(p + "embeddings.word_embeddings.weight", new long[] {vocab, h});
        shapes.put(p + "embeddings.position_embeddings.weight", new long[] {POSITIONS, h});
        if (!distil) {
            shapes.put(p + "embeddings.token_type_embeddings.weight", new long[] {arch == Architecture.BERT ? 2 : 1, h});
        }
        norm(shapes, p + "embeddings.LayerNorm", h);
        for (int l = 0; l < LAYERS; l++) {
            if (distil) {
                String x = p + "transformer.layer." + l + ".";
                for (String n : List.of("q_lin", "k_lin", "v_lin", "out_lin")) {
                    linear(shapes, x + "attention." + n, h, h);
                }
                norm(shapes, x + "sa_layer_norm", h);
                linear(shapes, x + "ffn.lin1", INTERMEDIATE, h);
                linear(shapes, x + "ffn.lin2", h, INTERMEDIATE);
                norm(shapes, x + "output_layer_norm", h);
            } else {
                String x = p + "encoder.layer." + l + ".";
                for (String n : List.of("query", "key", "value")) {
                    linear(shapes, x + "attention.self." + n, h, h);
                }
                linear(shapes, x + "attention.output.dense", h, h);
                norm(shapes, x + "attention.output.LayerNorm", h);
                linear(shapes, x + "intermediate.dense", INTERMEDIATE, h);
                linear(shapes, x + "output.dense", h, INTERMEDIATE);
                norm(shapes, x + "output.LayerNorm", h);
            }
        }
        switch (head) {
            case SEQUENCE_CLASSIFICATION -> {
                linear(shapes, distil ? "pre_classifier" : roberta ? "classifier.dense" : "bert.pooler.dense", h, h);
                linear(shapes, roberta ? "classifier.out_proj" : "classifier", 2, h);
            }
            case TOKEN_CLASSIFICATION -> linear(shapes, "classifier", LABELS.size(), h);
            case QUESTION_ANSWERING -> linear(shapes, "qa_outputs", 2, h);
            case MASKED_LM -> {
                linear(shapes, distil ? "vocab_transform" : roberta ? "lm_head.dense" : "cls.predictions.transform.dense",
                        h, h);
                norm(shapes, distil ? "vocab_layer_norm" : roberta ? "lm_head.layer_norm"
                        : "cls.predictions.transform.LayerNorm", h);
                shapes.put(distil ? "vocab_projector.bias" : roberta ? "lm_head.bias" : "cls.predictions.bias",
                        new long[] {vocab});
            }
            default -> {
            }
        }
        SafetensorsWriter w = SafetensorsWriter.create().metadata("format", "pt");
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            String name = e.getKey();
            long n = 1;
            for (long d : e.getValue()) {
                n *= d;
            }
            SplittableRandom r = new SplittableRandom(seed * 1_000_003L + java.util.Arrays.hashCode(
                    name.getBytes(StandardCharsets.UTF_8)));
            float[] v = new float[(int) n];
            boolean normWeight = name.endsWith(".weight") && e.getValue().length == 1;
            for (int i = 0; i < v.length; i++) {
                double g = r.nextGaussian();
                v[i] = (float) (normWeight ? 1 + 0.1 * g : name.endsWith(".bias") ? 0.05 * g : 0.2 * g);
            }
            w.add(name, "F32", e.getValue(), v);
        }
        w.write(dir.resolve("model.safetensors"));
    }

    private static void linear(Map<String, long[]> shapes, String name, long out, long in) {
        shapes.put(name + ".weight", new long[] {out, in});
        shapes.put(name + ".bias", new long[] {out});
    }

    private static void norm(Map<String, long[]> shapes, String name, long h) {
        shapes.put(name + ".weight", new long[] {h});
        shapes.put(name + ".bias", new long[] {h});
    }
}
