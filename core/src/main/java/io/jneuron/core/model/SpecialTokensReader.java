package io.jneuron.core.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads the special token ids of a checkpoint folder. Each of bos, eos and pad is taken from the first
 * file that sets it: {@code generation_config.json} first, as it is what transformers' {@code generate()}
 * stops on ({@code bos_token_id}, {@code eos_token_id}: an int or a list),
 * {@code tokenizer_config.json} ({@code bos_token} etc.: a token string or {@code {"content": ...}},
 * mapped to its id through {@code added_tokens_decoder} or the {@code tokenizer.json} vocabulary),
 * then {@code config.json}. Missing files are skipped; malformed ones are errors.
 */
public final class SpecialTokensReader {
    public static final String GENERATION_CONFIG = "generation_config.json";
    public static final String TOKENIZER_CONFIG = "tokenizer_config.json";

    private SpecialTokensReader() {
    }

    /** Reads {@code dir}, mapping token strings through {@code dir/tokenizer.json} when one must be mapped. */
    public static SpecialTokens read(Path dir) {
        return read(dir, new LazyVocab(dir.resolve(HfTokenizer.TOKENIZER_JSON)));
    }

    /**
     * Reads {@code dir} with a caller-supplied token lookup ({@code vocab} returns null for an unknown token).
     *
     * @throws ModelFormatException naming the file, key and value when a value has the wrong type or a
     *                              token string is not in the vocabulary
     */
    public static SpecialTokens read(Path dir, Function<String, Integer> vocab) {
        List<Source> sources = sources(dir);
        Integer bos = null;
        Integer pad = null;
        List<Integer> eos = null;
        for (Source s : sources) {
            if (bos == null) {
                bos = s.single("bos", vocab);
            }
            if (eos == null) {
                eos = s.list("eos", vocab);
            }
            if (pad == null) {
                pad = s.single("pad", vocab);
            }
        }
        return new SpecialTokens(bos, eos == null ? List.of() : eos, pad);
    }

    /**
     * Checks every special token value of every file in {@code dir}, including those {@link #read} never reaches
     * because an earlier file set the token: what transformers would trip over later is refused now.
     *
     * @throws ModelFormatException as {@link #read(Path, Function)}
     */
    public static void check(Path dir) {
        Function<String, Integer> vocab = new LazyVocab(dir.resolve(HfTokenizer.TOKENIZER_JSON));
        for (Source s : sources(dir)) {
            s.single("bos", vocab);
            s.list("eos", vocab);
            s.single("pad", vocab);
        }
    }

    private static List<Source> sources(Path dir) {
        List<Source> sources = new ArrayList<>();
        for (String name : List.of(GENERATION_CONFIG, TOKENIZER_CONFIG, Checkpoint.CONFIG)) {
            Path file = dir.resolve(name);
            // Json.readTree refuses a folder or FIFO in the file's place rather than skipping it unread.
            if (Files.exists(file)) {
                sources.add(new Source(file, Json.readTree(file), name.equals(TOKENIZER_CONFIG)));
            }
        }
        return sources;
    }

    /** tokenizer.json is parsed only when a token string must be mapped, which most checkpoints never need. */
    private static final class LazyVocab implements Function<String, Integer> {
        private final Path file;
        private Map<String, Integer> ids;

        LazyVocab(Path file) {
            this.file = file;
        }

        @Override
        public Integer apply(String token) {
            if (ids == null) {
                ids = TokenizerVocab.read(file);
            }
            return ids.get(token);
        }
    }

    /** One JSON file; {@code tokens} files name tokens by string ({@code bos_token}), the others by id. */
    private record Source(Path file, JsonNode root, boolean tokens) {
        Integer single(String kind, Function<String, Integer> vocab) {
            List<Integer> ids = list(kind, vocab);
            if (ids == null) {
                return null;
            }
            if (ids.size() != 1) {
                throw new ModelFormatException(file + ": \"" + key(kind) + "\" must be a single token id, got "
                        + root.get(key(kind)));
            }
            return ids.get(0);
        }

        /** Null when the key is absent, null or (by old convention) a negative id: the next file decides. */
        List<Integer> list(String kind, Function<String, Integer> vocab) {
            String key = key(kind);
            JsonNode v = root.get(key);
            if (v == null || v.isNull()) {
                return null;
            }
            if (tokens) {
                return List.of(tokenId(key, v, vocab));
            }
            List<Integer> ids = new ArrayList<>();
            if (v.isArray() && v.size() > 0) {
                for (JsonNode e : v) {
                    ids.add(id(key, v, e));
                }
            } else if (!v.isArray()) {
                ids.add(id(key, v, v));
            } else {
                return null;
            }
            ids.removeIf(i -> i < 0);
            return ids.isEmpty() ? null : List.copyOf(ids);
        }

        private String key(String kind) {
            return tokens ? kind + "_token" : kind + "_token_id";
        }

        private int id(String key, JsonNode whole, JsonNode e) {
            if (!e.isIntegralNumber() || !e.canConvertToInt()) {
                throw new ModelFormatException(file + ": \"" + key + "\" must be an integer or a list of integers, got "
                        + whole);
            }
            return e.asInt();
        }

        private int tokenId(String key, JsonNode v, Function<String, Integer> vocab) {
            JsonNode content = v.isObject() ? v.get("content") : v;
            if (content == null || !content.isTextual()) {
                throw new ModelFormatException(file + ": \"" + key + "\" must be a token string or an object with"
                        + " \"content\", got " + v);
            }
            String token = content.asText();
            Integer id = addedTokensDecoder().get(token);
            if (id == null) {
                id = vocab.apply(token);
            }
            if (id == null) {
                throw new ModelFormatException(file + ": \"" + key + "\" is \"" + token
                        + "\", which is not a token of " + file.resolveSibling(HfTokenizer.TOKENIZER_JSON));
            }
            return id;
        }

        /** tokenizer_config.json's own id table ({@code "added_tokens_decoder": {"2": {"content": "</s>"}}}). */
        private Map<String, Integer> addedTokensDecoder() {
            Map<String, Integer> out = new HashMap<>();
            root.path("added_tokens_decoder").fields().forEachRemaining(e -> {
                JsonNode content = e.getValue().path("content");
                if (content.isTextual() && e.getKey().matches("\\d{1,9}")) {
                    out.put(content.asText(), Integer.parseInt(e.getKey()));
                }
            });
            return out;
        }
    }
}
