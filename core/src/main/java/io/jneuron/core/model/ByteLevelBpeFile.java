package io.jneuron.core.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a byte-level BPE {@code tokenizer.json} says, checked to be a layout {@link ByteLevelBpeTokenizer} runs; any
 * other throws {@link Unsupported}.
 */
final class ByteLevelBpeFile {
    /** A layout ByteLevelBpeTokenizer does not run; the caller falls back to HfTokenizer. */
    static final class Unsupported extends RuntimeException {
        Unsupported(String what) {
            super(what, null, false, false);
        }
    }

    /**
     * Split patterns as tokenizer.json writes them (Llama 3's digits in threes, Qwen2's one by one), compiled with
     * the semantics the library's regex engine (Oniguruma) gives them: Unicode classes, {@code \\s} as Unicode
     * white space, case folding of the contractions as Unicode does (so "'\u017f" is a contraction too).
     */
    private static final String LLAMA3_SPLIT = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private static final String QWEN2_SPLIT = LLAMA3_SPLIT.replace("\\p{N}{1,3}", "\\p{N}");
    private static final Map<String, Pattern> SPLIT_PATTERNS = Map.of(
            LLAMA3_SPLIT, Pattern.compile(LLAMA3_SPLIT, Pattern.UNICODE_CHARACTER_CLASS),
            QWEN2_SPLIT, Pattern.compile(QWEN2_SPLIT, Pattern.UNICODE_CHARACTER_CLASS));
    /**
     * Vocabulary tokens are JSON field names: Jackson's default interns every field name, which for 30K-200K
     * distinct tokens costs more than the rest of the parse.
     */
    private static final JsonFactory FACTORY = new ObjectMapper(JsonFactory.builder()
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES).build()).getFactory();
    final Map<String, Integer> vocab = new HashMap<>(1 << 16);
    final List<String[]> merges = new ArrayList<>(1 << 15);
    final List<JsonNode> addedTokens = new ArrayList<>();
    boolean addPrefixSpace;
    Pattern words = ByteLevel.WORDS;
    boolean nfc;
    boolean ignoreMerges;
    int[] prefix = new int[0];
    int[] suffix = new int[0];
    boolean sawModel;
    boolean sawPreTokenizer;
    boolean sawDecoder;

    /** Streams the file: the model's vocabulary and merges are most of it, and only they are large. */
    static ByteLevelBpeFile read(Path file) throws IOException {
        ByteLevelBpeFile p = new ByteLevelBpeFile();
        JsonNode postProcessor = null;
        try (JsonParser json = FACTORY.createParser(file.toFile())) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw new Unsupported("not a JSON object");
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                json.nextToken();
                switch (field) {
                    case "model" -> p.readModel(json);
                    case "added_tokens" -> {
                        for (JsonNode t : (JsonNode) json.readValueAsTree()) {
                            p.addedTokens.add(t);
                        }
                    }
                    case "normalizer" -> {
                        JsonNode n = json.readValueAsTree();
                        p.nfc = n != null && "NFC".equals(n.path("type").asText());
                        require(n == null || n.isNull() || p.nfc, "a normalizer other than NFC");
                    }
                    case "pre_tokenizer" -> p.preTokenizer(json.readValueAsTree());
                    case "post_processor" -> postProcessor = json.readValueAsTree();
                    case "decoder" -> {
                        JsonNode d = json.readValueAsTree();
                        require(d != null && !d.isNull() && "ByteLevel".equals(d.path("type").asText()), "a decoder other than ByteLevel");
                        p.sawDecoder = true;
                    }
                    default -> json.skipChildren(); // version; truncation and padding HfTokenizer turns off too
                }
            }
        } catch (JsonProcessingException e) {
            throw new Unsupported("malformed JSON");
        }
        require(p.sawModel && p.sawPreTokenizer && p.sawDecoder, "a model, pre-tokenizer or decoder missing");
        p.checkAddedTokens();
        p.postProcessor(postProcessor);
        return p;
    }

    private void readModel(JsonParser json) throws IOException {
        require(json.currentToken() == JsonToken.START_OBJECT, "a model that is not an object");
        sawModel = true;
        String type = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            switch (field) {
                case "type" -> type = json.getText();
                case "vocab" -> {
                    require(value == JsonToken.START_OBJECT, "a vocabulary that is not an object");
                    while (json.nextToken() == JsonToken.FIELD_NAME) {
                        String token = json.currentName();
                        require(json.nextToken() == JsonToken.VALUE_NUMBER_INT, "a non-integer id");
                        int id = json.getIntValue();
                        require(id >= 0 && vocab.put(token, id) == null, "a negative or repeated id");
                    }
                }
                case "merges" -> {
                    require(value == JsonToken.START_ARRAY, "merges that are not a list");
                    for (JsonToken t = json.nextToken(); t != JsonToken.END_ARRAY; t = json.nextToken()) {
                        if (t == JsonToken.VALUE_STRING) { // "left right", the older layout
                            String s = json.getText();
                            int space = s.indexOf(' ');
                            require(space > 0 && space == s.lastIndexOf(' '), "a merge that is not two tokens");
                            merges.add(new String[] {s.substring(0, space), s.substring(space + 1)});
                        } else { // ["left", "right"]
                            require(t == JsonToken.START_ARRAY && json.nextToken() == JsonToken.VALUE_STRING,
                                    "a merge that is not two tokens");
                            String left = json.getText();
                            require(json.nextToken() == JsonToken.VALUE_STRING, "a merge that is not two tokens");
                            String right = json.getText();
                            require(json.nextToken() == JsonToken.END_ARRAY, "a merge that is not two tokens");
                            merges.add(new String[] {left, right});
                        }
                    }
                }
                case "dropout" -> require(value == JsonToken.VALUE_NULL, "BPE dropout");
                case "continuing_subword_prefix", "end_of_word_suffix" ->
                        require(value == JsonToken.VALUE_NULL || json.getText().isEmpty(), "subword affixes");
                case "byte_fallback" -> require(value == JsonToken.VALUE_FALSE, "byte fallback");
                case "ignore_merges" -> ignoreMerges = value == JsonToken.VALUE_TRUE;
                // unk_token and fuse_unk: never used, since every byte is in the vocabulary (checked below)
                default -> json.skipChildren();
            }
        }
        require("BPE".equals(type), "a model other than BPE");
        for (int b = 0; b < 256; b++) {
            require(vocab.containsKey(String.valueOf(ByteLevel.charOf(b))), "a byte missing from the vocabulary");
        }
    }

    /**
     * {@code ByteLevel} with GPT-2's pattern, or Llama 3's and Qwen2's layout: a {@code Split} on a known pattern
     * (isolating each match), then {@code ByteLevel} without a pattern or a prefix space.
     */
    private void preTokenizer(JsonNode n) {
        require(n != null && !n.isNull(), "no pre-tokenizer");
        if ("Sequence".equals(n.path("type").asText())) {
            JsonNode steps = n.path("pretokenizers");
            require(steps.size() == 2, "a pre-tokenizer sequence other than Split, ByteLevel");
            JsonNode split = steps.get(0);
            JsonNode bytes = steps.get(1);
            String regex = split.path("pattern").path("Regex").asText(null);
            require("Split".equals(split.path("type").asText()) && SPLIT_PATTERNS.containsKey(regex)
                    && "Isolated".equals(split.path("behavior").asText()) && !split.path("invert").asBoolean(false),
                    "a Split pre-tokenizer other than Llama 3's or Qwen2's");
            require("ByteLevel".equals(bytes.path("type").asText()) && !bytes.path("use_regex").asBoolean(true)
                    && !bytes.path("add_prefix_space").asBoolean(true), "a ByteLevel step with a pattern or prefix");
            words = SPLIT_PATTERNS.get(regex);
            addPrefixSpace = false;
        } else {
            require("ByteLevel".equals(n.path("type").asText()) && n.path("use_regex").asBoolean(true),
                    "a pre-tokenizer other than ByteLevel with GPT-2's pattern");
            addPrefixSpace = n.path("add_prefix_space").asBoolean(true);
        }
        sawPreTokenizer = true;
    }

    /** Added tokens match anywhere, as written: word bounds and stripped spaces are HfTokenizer's. */
    private void checkAddedTokens() {
        for (JsonNode t : addedTokens) {
            require(t.path("id").canConvertToInt() && t.path("id").asInt() >= 0 && t.path("content").isTextual()
                    && !t.path("content").asText().isEmpty(), "an added token without id or content");
            for (String flag : List.of("single_word", "lstrip", "rstrip")) {
                require(!t.path(flag).asBoolean(false), "an added token with " + flag);
            }
        }
    }

    /** None, ByteLevel (offsets only), TemplateProcessing for single inputs, or a Sequence of these. */
    private void postProcessor(JsonNode n) {
        if (n == null || n.isNull()) {
            return;
        }
        switch (n.path("type").asText()) {
            case "ByteLevel" -> { }
            case "Sequence" -> {
                for (JsonNode each : n.path("processors")) {
                    postProcessor(each);
                }
            }
            case "TemplateProcessing" -> {
                require(prefix.length == 0 && suffix.length == 0, "two templates");
                List<Integer> before = new ArrayList<>();
                List<Integer> after = new ArrayList<>();
                boolean seenText = false;
                for (JsonNode piece : n.path("single")) {
                    if (piece.has("Sequence")) {
                        require(!seenText && "A".equals(piece.get("Sequence").path("id").asText()), "a template");
                        seenText = true;
                    } else {
                        JsonNode st = n.path("special_tokens").path(piece.path("SpecialToken").path("id").asText());
                        require(st.path("ids").isArray() && !st.path("ids").isEmpty(), "a template token without ids");
                        for (JsonNode id : st.path("ids")) {
                            (seenText ? after : before).add(id.asInt());
                        }
                    }
                }
                require(seenText, "a template without the text");
                prefix = before.stream().mapToInt(Integer::intValue).toArray();
                suffix = after.stream().mapToInt(Integer::intValue).toArray();
            }
            default -> throw new Unsupported("a " + n.path("type").asText() + " post-processor");
        }
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new Unsupported(what);
        }
    }
}
