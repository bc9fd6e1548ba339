package io.jneuron.core.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A byte-level BPE {@code tokenizer.json} (GPT-2's layout and the tiny test models', Llama 3's, Qwen2's) run in
 * plain Java, with the ids and text of the Hugging Face tokenizers library: added tokens split out first (leftmost,
 * longest), NFC where the file asks for it, the word pattern (GPT-2's, or Llama 3's or Qwen2's Split), merges by rank
 * (leftmost first among equal ranks), the template's special tokens, and byte-level decoding. {@link #open} takes
 * only the layouts it implements exactly and returns empty for any other (other normalizers or Split patterns,
 * Metaspace, byte fallback, dropout, word-bounded added tokens...), which
 * {@link HfTokenizer} then runs. Against HfTokenizer it saves the native library in every generation: ~20 MiB
 * resident and ~0.1 s of opening in a fresh JVM for a 32K vocabulary (bench/README.md, twelfth session).
 *
 * <p>Thread-safe; holds no native memory.
 */
public final class ByteLevelBpeTokenizer implements TextTokenizer {
    /** Words longer than this are not cached (a pasted blob would only evict useful entries). */
    private static final int MAX_CACHED_WORD = 64;
    private static final int MAX_CACHE = 10_000;

    private final Path file;
    /** Whole words looked up before merging; only with {@code ignore_merges} (null otherwise). */
    private final Map<String, Integer> vocab;
    private final String[] idToToken;
    private final boolean[] special;
    private final MergeTable merges;
    private final int[] byteIds = new int[256];
    /** Added tokens matched in the text as given, then those matched in the normalized text (the same here). */
    private final AddedTokens rawAdded;
    private final AddedTokens normalizedAdded;
    private final boolean addPrefixSpace;
    /** The word pattern: GPT-2's, or the Split pre-tokenizer's (Llama 3's, Qwen2's). */
    private final Pattern words;
    /** Qwen2's tokenizer.json normalizes text outside added tokens to NFC. */
    private final boolean nfc;
    private final boolean ignoreMerges;
    /** Ids the template puts before and after the text when special tokens are added. */
    private final int[] prefix;
    private final int[] suffix;
    private final SpecialTokens specialTokens;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    private ByteLevelBpeTokenizer(Path file, Parsed p) {
        this.file = file;
        this.vocab = p.ignoreMerges ? p.vocab : null;
        this.addPrefixSpace = p.addPrefixSpace;
        this.words = p.words;
        this.nfc = p.nfc;
        this.ignoreMerges = p.ignoreMerges;
        this.prefix = p.prefix;
        this.suffix = p.suffix;
        int size = 0;
        for (int id : p.vocab.values()) {
            size = Math.max(size, id + 1);
        }
        for (JsonNode t : p.addedTokens) {
            size = Math.max(size, t.get("id").asInt() + 1);
        }
        if (size > 2 * (p.vocab.size() + p.addedTokens.size()) + 1024) {
            throw new Unsupported("ids far past the vocabulary's size"); // a table that size would be mostly holes
        }
        idToToken = new String[size];
        special = new boolean[size];
        p.vocab.forEach((token, id) -> idToToken[id] = token);
        Map<String, Integer> addedIds = new HashMap<>();
        Map<String, Integer> asWritten = new HashMap<>();
        Map<String, Integer> normalized = new HashMap<>();
        for (JsonNode t : p.addedTokens) {
            int id = t.get("id").asInt();
            idToToken[id] = t.get("content").asText();
            special[id] = t.path("special").asBoolean(false);
            addedIds.put(idToToken[id], id);
            (t.path("normalized").asBoolean(!special[id]) ? normalized : asWritten).put(idToToken[id], id);
        }
        rawAdded = new AddedTokens(asWritten);
        normalizedAdded = new AddedTokens(normalized);
        for (int b = 0; b < 256; b++) {
            byteIds[b] = p.vocab.get(String.valueOf(ByteLevel.charOf(b)));
        }
        merges = new MergeTable(p.merges.size());
        for (int rank = 0; rank < p.merges.size(); rank++) {
            String[] pair = p.merges.get(rank);
            Integer left = p.vocab.get(pair[0]);
            Integer right = p.vocab.get(pair[1]);
            Integer merged = p.vocab.get(pair[0] + pair[1]);
            if (left == null || right == null || merged == null) {
                throw new Unsupported("merge " + rank + " names a token outside the vocabulary");
            }
            merges.putIfAbsent(left, right, rank, merged);
        }
        // Added tokens first: they are matched before the model ever sees the text.
        this.specialTokens = SpecialTokensReader.read(file.getParent(),
                token -> addedIds.containsKey(token) ? addedIds.get(token) : p.vocab.get(token));
    }

    /**
     * Opens {@code dir/tokenizer.json} when it is a byte-level BPE this class runs exactly; empty when the file
     * uses anything else, or cannot be read as one (HfTokenizer then reports what is wrong with it).
     *
     * @throws ModelFormatException when a special-token file of {@code dir} is malformed
     */
    public static Optional<ByteLevelBpeTokenizer> open(Path dir) {
        Path file = dir.resolve(HfTokenizer.TOKENIZER_JSON);
        if (!Files.isRegularFile(file)) {
            return Optional.empty(); // a FIFO would block the reader for ever; HfTokenizer names what is there
        }
        Parsed parsed;
        try {
            parsed = Parsed.read(file);
        } catch (Unsupported | IOException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ByteLevelBpeTokenizer(file, parsed));
        } catch (Unsupported e) {
            return Optional.empty();
        }
    }

    /** The tokenizer.json this tokenizer was loaded from. */
    public Path file() {
        return file;
    }

    @Override
    public int[] encode(String text, boolean addSpecialTokens) {
        Objects.requireNonNull(text, "text");
        IntList out = new IntList(text.length() / 3 + 4);
        if (addSpecialTokens) {
            out.addAll(prefix);
        }
        splitAdded(text, rawAdded, out);
        if (addSpecialTokens) {
            out.addAll(suffix);
        }
        return out.toArray();
    }

    /**
     * The library's two passes: added tokens matched as written split the text first, then those matched after
     * normalization split what lies between; the rest goes to the pre-tokenizer and the model.
     */
    private void splitAdded(String text, AddedTokens tokens, IntList out) {
        int start = 0;
        for (int[] m = tokens.find(text, 0); ; m = tokens.find(text, m[1])) {
            int end = m == null ? text.length() : m[0];
            if (end > start) {
                String between = text.substring(start, end);
                if (tokens == rawAdded) {
                    splitAdded(nfc ? Normalizer.normalize(between, Normalizer.Form.NFC) : between, normalizedAdded, out);
                } else {
                    encodeText(between, out);
                }
            }
            if (m == null) {
                break;
            }
            out.add(m[2]);
            start = m[1];
        }
    }

    /**
     * The pre-tokenizer and the model on text between added tokens: each match of the word pattern is a word, and so
     * is any text between matches (the library's "Isolated" split; the patterns here leave none).
     */
    private void encodeText(String text, IntList out) {
        if (addPrefixSpace && text.charAt(0) != ' ') {
            text = " " + text;
        }
        Matcher m = words.matcher(text);
        int last = 0;
        while (m.find()) {
            if (m.start() > last) {
                encodeWord(text.substring(last, m.start()), out);
            }
            encodeWord(m.group(), out);
            last = m.end();
        }
        if (last < text.length()) {
            encodeWord(text.substring(last), out);
        }
    }

    private void encodeWord(String piece, IntList out) {
        if (piece.isEmpty()) {
            return;
        }
        String word = ByteLevel.encodeBytes(piece);
        int[] ids = cache.get(word);
        if (ids == null) {
            ids = bpe(word);
            if (word.length() <= MAX_CACHED_WORD) {
                if (cache.size() >= MAX_CACHE) {
                    cache.clear();
                }
                cache.put(word, ids);
            }
        }
        out.addAll(ids);
    }

    /**
     * One word's ids: its bytes merged pair by pair, the lowest-ranked adjacent pair first and the leftmost of
     * equal pairs first (a heap of (rank, position), as the tokenizers library does; a stale entry is skipped).
     */
    private int[] bpe(String word) {
        if (ignoreMerges) {
            Integer whole = vocab.get(word);
            if (whole != null) {
                return new int[] {whole};
            }
        }
        int n = word.length();
        int[] id = new int[n];
        int[] next = new int[n];
        int[] prev = new int[n];
        for (int i = 0; i < n; i++) {
            id[i] = byteIds[ByteLevel.byteOf(word.charAt(i))];
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        LongHeap heap = new LongHeap(n);
        for (int i = 0; i + 1 < n; i++) {
            long m = merges.get(id[i], id[i + 1]);
            if (m >= 0) {
                heap.push((m >>> 32) << 32 | i);
            }
        }
        int count = n;
        while (!heap.isEmpty()) {
            long top = heap.pop();
            int rank = (int) (top >>> 32);
            int at = (int) top;
            int right = next[at];
            if (id[at] < 0 || right < 0) {
                continue;
            }
            long m = merges.get(id[at], id[right]);
            if (m < 0 || (int) (m >>> 32) != rank) {
                continue; // the pair at this position changed since the entry was pushed
            }
            id[at] = (int) m;
            id[right] = -1;
            next[at] = next[right];
            if (next[at] >= 0) {
                prev[next[at]] = at;
            }
            count--;
            if (prev[at] >= 0) {
                long left = merges.get(id[prev[at]], id[at]);
                if (left >= 0) {
                    heap.push((left >>> 32) << 32 | prev[at]);
                }
            }
            if (next[at] >= 0) {
                long after = merges.get(id[at], id[next[at]]);
                if (after >= 0) {
                    heap.push((after >>> 32) << 32 | at);
                }
            }
        }
        int[] out = new int[count];
        for (int i = 0, k = 0; i >= 0; i = next[i]) {
            out[k++] = id[i];
        }
        return out;
    }

    /**
     * The text of {@code ids}: each token's characters mapped back to bytes (a token with a character outside the
     * byte-level alphabet, such as an added token, gives its own UTF-8 bytes), all bytes decoded as UTF-8 with
     * U+FFFD for invalid sequences. Ids outside the vocabulary are dropped, as the tokenizers library does.
     */
    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        Objects.requireNonNull(ids, "ids");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length * 4);
        byte[] own = new byte[64];
        for (int id : ids) {
            if (id < 0 || id >= idToToken.length || idToToken[id] == null || (skipSpecialTokens && special[id])) {
                continue;
            }
            String token = idToToken[id];
            if (own.length < token.length()) {
                own = new byte[token.length()];
            }
            int k = 0;
            for (; k < token.length(); k++) {
                int b = ByteLevel.byteOf(token.charAt(k));
                if (b < 0) {
                    break;
                }
                own[k] = (byte) b;
            }
            if (k == token.length()) {
                bytes.write(own, 0, k);
            } else {
                bytes.writeBytes(token.getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public SpecialTokens specialTokens() {
        return specialTokens;
    }

    /** Nothing to release: the tables are on the heap. */
    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "ByteLevelBpeTokenizer[" + file + "]";
    }

    /** A layout this class does not run; the caller falls back to HfTokenizer. */
    private static final class Unsupported extends RuntimeException {
        Unsupported(String what) {
            super(what, null, false, false);
        }
    }

    /** What {@code tokenizer.json} says, checked to be a layout this class runs. */
    private static final class Parsed {
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
        static Parsed read(Path file) throws IOException {
            Parsed p = new Parsed();
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

    /**
     * The added tokens, matched in text as the tokenizers library does: at the leftmost position where one starts,
     * the longest one that starts there.
     */
    private static final class AddedTokens {
        /** By first character, longest first. */
        private final Map<Character, List<Map.Entry<String, Integer>>> byFirst = new HashMap<>();

        AddedTokens(Map<String, Integer> ids) {
            ids.forEach((content, id) -> byFirst.computeIfAbsent(content.charAt(0), c -> new ArrayList<>())
                    .add(Map.entry(content, id)));
            byFirst.values().forEach(l -> l.sort((a, b) -> b.getKey().length() - a.getKey().length()));
        }

        /** {start, end, id} of the first match at or after {@code from}, or null. */
        int[] find(String text, int from) {
            if (byFirst.isEmpty()) {
                return null;
            }
            for (int i = from; i < text.length(); i++) {
                List<Map.Entry<String, Integer>> candidates = byFirst.get(text.charAt(i));
                if (candidates != null) {
                    for (Map.Entry<String, Integer> c : candidates) {
                        if (text.startsWith(c.getKey(), i)) {
                            return new int[] {i, i + c.getKey().length(), c.getValue()};
                        }
                    }
                }
            }
            return null;
        }
    }

    /** (left id, right id) to (rank << 32 | merged id), open addressing: 30K merges in ~1 MB, no boxing. */
    private static final class MergeTable {
        private final long[] keys;
        private final long[] values;
        private final int mask;

        MergeTable(int expected) {
            int size = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
            keys = new long[size];
            values = new long[size];
            mask = size - 1;
            Arrays.fill(keys, -1);
        }

        /** The first merge of a pair wins: the library keeps the lowest rank of a repeated merge too. */
        void putIfAbsent(int left, int right, int rank, int merged) {
            long key = (long) left << 32 | right;
            for (int i = slot(key); ; i = (i + 1) & mask) {
                if (keys[i] == key) {
                    return;
                }
                if (keys[i] == -1) {
                    keys[i] = key;
                    values[i] = (long) rank << 32 | merged;
                    return;
                }
            }
        }

        /** rank << 32 | merged id, or -1 when the pair does not merge. */
        long get(int left, int right) {
            long key = (long) left << 32 | right;
            for (int i = slot(key); ; i = (i + 1) & mask) {
                if (keys[i] == key) {
                    return values[i];
                }
                if (keys[i] == -1) {
                    return -1;
                }
            }
        }

        private int slot(long key) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h >>> 40) & mask;
        }
    }

    /** A min-heap of longs. */
    private static final class LongHeap {
        private long[] a;
        private int size;

        LongHeap(int capacity) {
            a = new long[Math.max(4, capacity)];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void push(long v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, size * 2);
            }
            int i = size++;
            while (i > 0 && a[(i - 1) / 2] > v) {
                a[i] = a[(i - 1) / 2];
                i = (i - 1) / 2;
            }
            a[i] = v;
        }

        long pop() {
            long top = a[0];
            long last = a[--size];
            int i = 0;
            while (2 * i + 1 < size) {
                int c = 2 * i + 1;
                if (c + 1 < size && a[c + 1] < a[c]) {
                    c++;
                }
                if (a[c] >= last) {
                    break;
                }
                a[i] = a[c];
                i = c;
            }
            a[i] = last;
            return top;
        }
    }

    /** A growable int array. */
    private static final class IntList {
        private int[] a;
        private int size;

        IntList(int capacity) {
            a = new int[Math.max(4, capacity)];
        }

        void add(int v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, size * 2);
            }
            a[size++] = v;
        }

        void addAll(int[] vs) {
            for (int v : vs) {
                add(v);
            }
        }

        int[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }
}
