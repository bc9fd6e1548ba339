package io.jneuron.core.model;

import com.fasterxml.jackson.databind.JsonNode;

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
    private final BpeMerges merges;
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

    private ByteLevelBpeTokenizer(Path file, ByteLevelBpeFile p) {
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
            throw new ByteLevelBpeFile.Unsupported("ids far past the vocabulary's size"); // a table that size would be mostly holes
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
        merges = new BpeMerges(p.merges.size());
        for (int rank = 0; rank < p.merges.size(); rank++) {
            String[] pair = p.merges.get(rank);
            Integer left = p.vocab.get(pair[0]);
            Integer right = p.vocab.get(pair[1]);
            Integer merged = p.vocab.get(pair[0] + pair[1]);
            if (left == null || right == null || merged == null) {
                throw new ByteLevelBpeFile.Unsupported("merge " + rank + " names a token outside the vocabulary");
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
        ByteLevelBpeFile parsed;
        try {
            parsed = ByteLevelBpeFile.read(file);
        } catch (ByteLevelBpeFile.Unsupported | IOException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ByteLevelBpeTokenizer(file, parsed));
        } catch (ByteLevelBpeFile.Unsupported e) {
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
        BpeMerges.Heap heap = new BpeMerges.Heap(n);
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
