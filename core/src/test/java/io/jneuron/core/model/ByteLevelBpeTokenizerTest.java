package io.jneuron.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jneuron.core.testing.TinyModelSpec;
import io.jneuron.core.testing.TinyModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java byte-level BPE against the Hugging Face tokenizers library (Rust, through DJL's HfTokenizer): the same
 * ids and the same text, on the tiny models' tokenizers and on variants of them that exercise each option the
 * Java one claims (a prefix space, ignore_merges, added tokens matched as written or normalized, the newer merges
 * layout, a template with a suffix); and every other layout left to HfTokenizer.
 */
class ByteLevelBpeTokenizerTest {
    /** Text that reaches every branch of GPT-2's pattern and of UTF-8. */
    private static final List<String> TEXTS = List.of(
            "", " ", "  ", "\n", "a", "Hello, world! How are you today?",
            "naïve café – déjà vu; 日本語; emoji 😀🚀👍🏽 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
            "   indented\ttext\nwith\n\nnew lines   ", "trailing spaces   ", "\u00a0non-breaking\u3000ideographic\u2028",
            "3.14159 and 1,000,000 in 2024; ٣٤ and ⅷ", "They're here, we've gone, I'm sure it's fine; isn't it? 'S 'LL",
            "Unseen words: gardens, programmers, thunderstorms, zebras.", "\r\n\r\nCRLF\r\n", "a  b   c    d",
            "<s>starts with bos</s> and </s>ends", "<|user|>hi<|assistant|>hello<|user|>", "<s><s></s>",
            "x<s>y", "the the the the the", "cafe\u0301 de\u0301ja\u0300 vu, \ufb01 ligature, \u212b and \u00c5",
            "'S 'LL 'Re 'D 'M 'T 'VE and '\u017f", "1234567 digits, 42 and 3.14159265", "a\r\n\r\nb\n\n\nc  \n d\r\r",
            "!!! ??? ... ---\n\n", "\u0660\u0661\u0662 \u0966\u0967 \u00b2\u00b3 \u2167", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    private static final String POOL = "abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789 .,;:!?'\"-()[]{}<>/\\|_@#$%^&*+=~`"
            + "\t\n\r\u000b\f\u0000\u0001\u007f\u0085\u200b\ufeff\u00a0\u2003\u3000éüßçñøåœ–—…“”‘’€£¥©®°±×÷αβγδЖЯжяשלוםمرحبا你好世界日本語한국어ไทย🙂😀🚀👍🏽";

    @TempDir
    static Path dir;
    static Path gpt2;
    static Path llama;

    @BeforeAll
    static void models() throws IOException {
        gpt2 = TinyModels.generate(TinyModelSpec.tiny(Architecture.GPT2).withNumLayers(1), dir.resolve("gpt2"))
                .directory();
        llama = TinyModels.generate(TinyModelSpec.tiny(Architecture.LLAMA).withVocabSize(6000).withNumLayers(1),
                dir.resolve("llama")).directory();
    }

    @Test
    void gpt2AndLlamaTokenizersMatchTheLibrary() throws IOException {
        assertSame(gpt2, 1);
        assertSame(llama, 2);
    }

    @Test
    void aPrefixSpaceIsAddedBeforeEachStretchOfTextAsTheLibraryDoes() throws IOException {
        assertSame(variant(llama, "prefix", t -> ((ObjectNode) t.get("pre_tokenizer")).put("add_prefix_space", true)), 3);
    }

    @Test
    void ignoreMergesTakesWholeWordsFromTheVocabulary() throws IOException {
        // A vocabulary entry no merge sequence reaches: with ignore_merges " zebras" is one token, without it several.
        Path p = variant(gpt2, "ignore", t -> {
            ObjectNode model = (ObjectNode) t.get("model");
            model.put("ignore_merges", true);
            ((ObjectNode) model.get("vocab")).put("Ġzebras", model.get("vocab").size());
            wholeWords(model, GPT2_WORDS, 4); // GPT-2's pattern, as in llama3sSplitPatternAndIgnoreMerges
        });
        assertSame(p, 4);
        try (ByteLevelBpeTokenizer java = ByteLevelBpeTokenizer.open(p).orElseThrow()) {
            assertEquals(1, java.encode(" zebras", false).length);
        }
    }

    @Test
    void addedTokensMatchedAsWrittenSplitFirstThenNormalizedOnes() throws IOException {
        int next = Json.MAPPER.readTree(llama.resolve(HfTokenizer.TOKENIZER_JSON).toFile()).get("model").get("vocab")
                .size();
        Path p = variant(llama, "added", t -> {
            ArrayNode added = (ArrayNode) t.get("added_tokens");
            added.add(addedToken(next, "<|user|>", false, false));
            added.add(addedToken(next + 1, "<|assistant|>", true, false));
            added.add(addedToken(next + 2, "the t", false, true)); // normalized: loses to "he th" written below
            added.add(addedToken(next + 3, "he th", false, false));
            added.add(addedToken(next + 4, "<|user", false, false)); // the longer "<|user|>" wins where both match
            added.add(addedToken(next + 5, "ab", true, true));
        });
        assertSame(p, 5);
        try (ByteLevelBpeTokenizer java = ByteLevelBpeTokenizer.open(p).orElseThrow()) {
            assertArrayEquals(new int[] {next}, java.encode("<|user|>", false));
            int[] ids = java.encode("the the", false);
            assertTrue(contains(ids, next + 3) && !contains(ids, next + 2), java.toString());
        }
    }

    @Test
    void mergesAsPairsAndATemplateWithASuffix() throws IOException {
        Path p = variant(gpt2, "pairs", t -> {
            ObjectNode model = (ObjectNode) t.get("model");
            ArrayNode pairs = model.arrayNode();
            for (JsonNode m : model.get("merges")) {
                String[] lr = m.asText().split(" ");
                pairs.addArray().add(lr[0]).add(lr[1]);
            }
            model.set("merges", pairs);
            ObjectNode template = t.objectNode().put("type", "TemplateProcessing");
            template.putArray("single").add(special("<|endoftext|>")).add(sequence("A")).add(special("<|endoftext|>"));
            template.putArray("pair").add(sequence("A")).add(sequence("B"));
            ObjectNode eos = template.putObject("special_tokens").putObject("<|endoftext|>").put("id", "<|endoftext|>");
            eos.set("ids", t.arrayNode().add(2047));
            eos.set("tokens", t.arrayNode().add("<|endoftext|>"));
            t.set("post_processor", template);
        });
        assertSame(p, 6);
        try (ByteLevelBpeTokenizer java = ByteLevelBpeTokenizer.open(p).orElseThrow()) {
            assertArrayEquals(new int[] {2047, 2047}, java.encode("", true));
        }
    }

    /** Llama 3's layout: GPT-2's bytes, its own Split pattern (digits in threes, case-folded contractions), whole words. */
    @Test
    void llama3sSplitPatternAndIgnoreMerges() throws IOException {
        assertSame(variant(llama, "llama3", t -> {
            t.set("pre_tokenizer", splitThenBytes(LLAMA3_SPLIT));
            ObjectNode model = (ObjectNode) t.get("model");
            model.put("ignore_merges", true);
            wholeWords(model, LLAMA3_SPLIT, 7);
        }), 7);
    }

    private static final String GPT2_WORDS = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    /**
     * Every word of the seed's texts, split as the library's regex engine (Oniguruma, Unicode classes) splits them,
     * becomes a whole-word token: with ignore_merges a split anywhere else shows as different ids, which a tiny
     * vocabulary's few merges over non-ASCII bytes rarely would.
     */
    private static void wholeWords(ObjectNode model, String regex, long seed) {
        ObjectNode vocab = (ObjectNode) model.get("vocab");
        Matcher m = Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS).matcher("");
        for (String text : texts(seed)) {
            for (m.reset(text); m.find(); ) {
                String word = ByteLevel.encodeBytes(m.group());
                if (!vocab.has(word)) {
                    vocab.put(word, vocab.size() + 100);
                }
            }
        }
    }

    /** Qwen2's layout: NFC, its Split pattern (digits one by one), no template. */
    @Test
    void qwen2sNfcAndSplitPattern() throws IOException {
        Path p = variant(gpt2, "qwen2", t -> {
            t.set("pre_tokenizer", splitThenBytes(LLAMA3_SPLIT.replace("\\p{N}{1,3}", "\\p{N}")));
            t.putObject("normalizer").put("type", "NFC");
        });
        assertSame(p, 8);
        try (ByteLevelBpeTokenizer java = ByteLevelBpeTokenizer.open(p).orElseThrow()) {
            assertArrayEquals(java.encode("caf\u00e9", false), java.encode("cafe\u0301", false));
            assertEquals(3, java.encode("123", false).length);
        }
    }

    private static final String LLAMA3_SPLIT = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    private static ObjectNode splitThenBytes(String regex) {
        ObjectNode seq = Json.MAPPER.createObjectNode().put("type", "Sequence");
        ArrayNode steps = seq.putArray("pretokenizers");
        ObjectNode split = steps.addObject().put("type", "Split");
        split.putObject("pattern").put("Regex", regex);
        split.put("behavior", "Isolated").put("invert", false);
        steps.addObject().put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true)
                .put("use_regex", false);
        return seq;
    }

    @Test
    void otherLayoutsAreLeftToTheLibrary() throws IOException {
        List<Consumer<ObjectNode>> others = List.of(
                t -> t.putObject("normalizer").put("type", "NFKC"),
                t -> t.set("pre_tokenizer", splitThenBytes("\\w+|\\s+")),
                t -> {
                    ObjectNode seq = splitThenBytes(LLAMA3_SPLIT);
                    ((ObjectNode) seq.get("pretokenizers").get(1)).put("add_prefix_space", true);
                    t.set("pre_tokenizer", seq);
                },
                t -> t.putObject("pre_tokenizer").put("type", "Metaspace"),
                t -> ((ObjectNode) t.get("pre_tokenizer")).put("use_regex", false),
                t -> t.putObject("decoder").put("type", "Metaspace"),
                t -> ((ObjectNode) t.get("model")).put("byte_fallback", true),
                t -> ((ObjectNode) t.get("model")).put("dropout", 0.1),
                t -> ((ObjectNode) t.get("model")).put("continuing_subword_prefix", "##"),
                t -> ((ObjectNode) t.get("model")).put("type", "WordPiece"),
                t -> ((ObjectNode) t.get("model").get("vocab")).remove("Ā"),
                t -> ((ObjectNode) t.get("added_tokens").get(0)).put("lstrip", true),
                t -> ((ObjectNode) t.get("added_tokens").get(0)).put("single_word", true),
                t -> t.putObject("post_processor").put("type", "RobertaProcessing"));
        for (int i = 0; i < others.size(); i++) {
            Path p = variant(llama, "other" + i, others.get(i));
            assertTrue(ByteLevelBpeTokenizer.open(p).isEmpty(), "layout " + i);
        }
        Path malformed = Files.createDirectories(dir.resolve("malformed"));
        Files.writeString(malformed.resolve(HfTokenizer.TOKENIZER_JSON), "{\"model\": {\"type\": \"BPE\", ");
        assertTrue(ByteLevelBpeTokenizer.open(malformed).isEmpty());
        assertTrue(ByteLevelBpeTokenizer.open(dir.resolve("nowhere")).isEmpty());
        Path folder = Files.createDirectories(dir.resolve("folder").resolve(HfTokenizer.TOKENIZER_JSON));
        assertTrue(ByteLevelBpeTokenizer.open(folder.getParent()).isEmpty());
    }

    @Test
    void specialTokensAreReadFromTheModelsFiles() {
        try (ByteLevelBpeTokenizer java = ByteLevelBpeTokenizer.open(llama).orElseThrow();
             HfTokenizer djl = HfTokenizer.open(llama)) {
            assertEquals(djl.specialTokens(), java.specialTokens());
            assertEquals(1, java.specialTokens().bosId());
        }
    }

    /**
     * Encodes fixed and random text with and without special tokens, decodes the ids back, and decodes random id
     * sequences (special ids, ids outside the vocabulary, UTF-8 sequences cut in two) with and without skipping.
     */
    private static void assertSame(Path model, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed + 1000);
        List<String> texts = texts(seed);
        try (ByteLevelBpeTokenizer java = ByteLevelBpeTokenizer.open(model).orElseThrow();
             HfTokenizer djl = HfTokenizer.open(model)) {
            for (String text : texts) {
                for (boolean specials : new boolean[] {false, true}) {
                    int[] ids = djl.encode(text, specials);
                    assertArrayEquals(ids, java.encode(text, specials), () -> "encode " + specials + ": " + text);
                    for (boolean skip : new boolean[] {false, true}) {
                        assertEquals(djl.decode(ids, skip), java.decode(ids, skip), "decode " + skip + ": " + text);
                    }
                }
            }
            for (int i = 0; i < 300; i++) {
                int[] ids = rnd.ints(rnd.nextInt(1, 12), 0, 6100).toArray(); // past every vocabulary here
                if (i % 3 == 0) {
                    ids[0] = rnd.nextInt(3); // Llama's specials; bytes of GPT-2's
                }
                for (boolean skip : new boolean[] {false, true}) {
                    int[] copy = ids;
                    assertEquals(djl.decode(ids, skip), java.decode(ids, skip), () -> "decode " + skip + ": "
                            + Arrays.toString(copy));
                }
            }
        }
    }

    /** The fixed texts and 300 random ones over {@link #POOL}, the same for the same seed. */
    private static List<String> texts(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<String> texts = new ArrayList<>(TEXTS);
        for (int i = 0; i < 300; i++) {
            StringBuilder sb = new StringBuilder();
            int len = rnd.nextInt(1, 40);
            for (int k = 0; k < len; k++) {
                sb.appendCodePoint(POOL.codePointAt(POOL.offsetByCodePoints(0, rnd.nextInt(POOL.codePointCount(0,
                        POOL.length())))));
            }
            texts.add(sb.toString());
        }
        return texts;
    }

    private static Path variant(Path from, String name, Consumer<ObjectNode> edit) throws IOException {
        Path to = Files.createDirectories(dir.resolve(name));
        try (var files = Files.list(from)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("tokenizer")
                    || f.getFileName().toString().endsWith("config.json")).toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        ObjectNode t = (ObjectNode) Json.MAPPER.readTree(to.resolve(HfTokenizer.TOKENIZER_JSON).toFile());
        edit.accept(t);
        Json.MAPPER.writeValue(to.resolve(HfTokenizer.TOKENIZER_JSON).toFile(), t);
        return to;
    }

    private static ObjectNode addedToken(int id, String content, boolean special, boolean normalized) {
        ObjectNode n = Json.MAPPER.createObjectNode().put("id", id).put("content", content).put("single_word", false)
                .put("lstrip", false).put("rstrip", false).put("normalized", normalized).put("special", special);
        return n;
    }

    private static ObjectNode special(String id) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.putObject("SpecialToken").put("id", id).put("type_id", 0);
        return n;
    }

    private static ObjectNode sequence(String id) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.putObject("Sequence").put("id", id).put("type_id", 0);
        return n;
    }

    private static boolean contains(int[] ids, int id) {
        for (int i : ids) {
            if (i == id) {
                return true;
            }
        }
        return false;
    }
}
