package io.jneuron.core.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jneuron.core.model.Architecture;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;

/**
 * Writes {@code tokenizer.json} and {@code tokenizer_config.json} for a byte-level BPE trained on
 * {@link TinyCorpus}. GPT-2 gets GPT-2's layout (byte tokens first, {@code <|endoftext|>} last, used as
 * bos and eos, nothing added on encode). Llama gets Llama's special ids ({@code <unk>}=0, {@code <s>}=1,
 * {@code </s>}=2) and, like Llama 3's tokenizer.json, a post-processor that prepends {@code <s>}.
 */
final class TokenizerFiles {
    static final String GPT2_EOS = "<|endoftext|>";
    static final String LLAMA_UNK = "<unk>";
    static final String LLAMA_BOS = "<s>";
    static final String LLAMA_EOS = "</s>";

    /** The tiny Llama-like models' chat template: one turn per message, the tiny tokenizer's own specials. */
    static final String CHAT_TEMPLATE = "{{ bos_token }}{% for message in messages %}{{ '<|' + message['role'] + '|>\\n' "
            + "+ message['content'] | trim + eos_token + '\\n' }}{% endfor %}{% if add_generation_prompt %}"
            + "{{ '<|assistant|>\\n' }}{% endif %}";

    private TokenizerFiles() {
    }

    static List<String> specialTokens(Architecture arch) {
        return arch == Architecture.GPT2 ? List.of(GPT2_EOS) : List.of(LLAMA_UNK, LLAMA_BOS, LLAMA_EOS);
    }

    /** Id of the i-th special token for a vocabulary of {@code vocabSize}. */
    static int specialId(Architecture arch, int vocabSize, int i) {
        return arch == Architecture.GPT2 ? vocabSize - 1 : i;
    }

    static int bosId(Architecture arch, int vocabSize) {
        return specialId(arch, vocabSize, arch == Architecture.GPT2 ? 0 : 1);
    }

    static int eosId(Architecture arch, int vocabSize) {
        return specialId(arch, vocabSize, arch == Architecture.GPT2 ? 0 : 2);
    }

    /** Trains the BPE for {@code spec} and writes both tokenizer files into {@code dir}. */
    static BpeTrainer.Result write(TinyModelSpec spec, Path dir) {
        Architecture arch = spec.architecture();
        List<String> specials = specialTokens(arch);
        BpeTrainer.Result bpe = BpeTrainer.train(TinyCorpus.TEXT, spec.vocabSize() - specials.size(),
                new HashSet<>(specials));
        JsonFiles.write(dir.resolve("tokenizer.json"), tokenizerJson(arch, spec.vocabSize(), bpe));
        JsonFiles.write(dir.resolve("tokenizer_config.json"), tokenizerConfig(arch, spec));
        return bpe;
    }

    private static ObjectNode tokenizerJson(Architecture arch, int vocabSize, BpeTrainer.Result bpe) {
        List<String> specials = specialTokens(arch);
        ObjectNode root = JsonFiles.object();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int i = 0; i < specials.size(); i++) {
            ObjectNode t = added.addObject();
            t.put("id", specialId(arch, vocabSize, i));
            t.put("content", specials.get(i));
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", arch == Architecture.GPT2);
            t.put("special", true);
        }
        root.putNull("normalizer");
        byteLevel(root.putObject("pre_tokenizer"), false, true);
        if (arch == Architecture.GPT2) {
            byteLevel(root.putObject("post_processor"), true, false);
        } else {
            ObjectNode seq = root.putObject("post_processor");
            seq.put("type", "Sequence");
            ArrayNode processors = seq.putArray("processors");
            byteLevel(processors.addObject(), true, false);
            template(processors.addObject(), specialId(arch, vocabSize, 1));
        }
        byteLevel(root.putObject("decoder"), true, true);

        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.put("continuing_subword_prefix", "");
        model.put("end_of_word_suffix", "");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        ObjectNode vocab = model.putObject("vocab");
        int offset = arch == Architecture.GPT2 ? 0 : specials.size();
        if (offset > 0) {
            for (int i = 0; i < specials.size(); i++) {
                vocab.put(specials.get(i), i);
            }
        }
        for (int i = 0; i < bpe.tokens().size(); i++) {
            vocab.put(bpe.tokens().get(i), offset + i);
        }
        if (arch == Architecture.GPT2) {
            vocab.put(GPT2_EOS, vocabSize - 1);
        }
        ArrayNode merges = model.putArray("merges");
        bpe.merges().forEach(merges::add);
        return root;
    }

    private static void byteLevel(ObjectNode n, boolean addPrefixSpace, boolean trimOffsets) {
        n.put("type", "ByteLevel");
        n.put("add_prefix_space", addPrefixSpace);
        n.put("trim_offsets", trimOffsets);
        n.put("use_regex", true);
    }

    /** TemplateProcessing that prepends BOS: "single": "<s> $A", "pair": "<s> $A <s> $B". */
    private static void template(ObjectNode n, int bosId) {
        n.put("type", "TemplateProcessing");
        ArrayNode single = n.putArray("single");
        special(single, 0);
        sequence(single, "A", 0);
        ArrayNode pair = n.putArray("pair");
        special(pair, 0);
        sequence(pair, "A", 0);
        special(pair, 1);
        sequence(pair, "B", 1);
        ObjectNode bos = n.putObject("special_tokens").putObject(LLAMA_BOS);
        bos.put("id", LLAMA_BOS);
        bos.putArray("ids").add(bosId);
        bos.putArray("tokens").add(LLAMA_BOS);
    }

    private static void special(ArrayNode a, int typeId) {
        ObjectNode t = a.addObject().putObject("SpecialToken");
        t.put("id", LLAMA_BOS);
        t.put("type_id", typeId);
    }

    private static void sequence(ArrayNode a, String id, int typeId) {
        ObjectNode t = a.addObject().putObject("Sequence");
        t.put("id", id);
        t.put("type_id", typeId);
    }

    private static ObjectNode tokenizerConfig(Architecture arch, TinyModelSpec spec) {
        List<String> specials = specialTokens(arch);
        boolean gpt2 = arch == Architecture.GPT2;
        ObjectNode c = JsonFiles.object();
        c.put("add_bos_token", !gpt2);
        c.put("add_eos_token", false);
        if (gpt2) {
            c.put("add_prefix_space", false);
        }
        ObjectNode decoder = c.putObject("added_tokens_decoder");
        for (int i = 0; i < specials.size(); i++) {
            ObjectNode t = decoder.putObject(String.valueOf(specialId(arch, spec.vocabSize(), i)));
            t.put("content", specials.get(i));
            t.put("lstrip", false);
            t.put("normalized", gpt2);
            t.put("rstrip", false);
            t.put("single_word", false);
            t.put("special", true);
        }
        c.put("bos_token", gpt2 ? GPT2_EOS : LLAMA_BOS);
        if (!gpt2) {
            c.put("chat_template", CHAT_TEMPLATE);
        }
        c.put("clean_up_tokenization_spaces", false);
        c.put("eos_token", gpt2 ? GPT2_EOS : LLAMA_EOS);
        if (gpt2) {
            c.put("errors", "replace");
        }
        c.put("model_max_length", spec.maxPositions());
        c.putNull("pad_token");
        c.put("tokenizer_class", gpt2 ? "GPT2Tokenizer" : "PreTrainedTokenizerFast");
        c.put("unk_token", gpt2 ? GPT2_EOS : LLAMA_UNK);
        return c;
    }
}
