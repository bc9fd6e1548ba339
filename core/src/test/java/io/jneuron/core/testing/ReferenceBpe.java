package io.jneuron.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A from-scratch GPT-2 style byte-level BPE encoder over a tokenizer.json, written for the tests and
 * sharing no code with the trainer: it builds its own byte alphabet, splits words with the published
 * GPT-2 pattern, and merges the lowest-ranked adjacent pair until none is left.
 */
final class ReferenceBpe {
    private static final Pattern GPT2_SPLIT = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

    private final Map<String, Integer> vocab = new HashMap<>();
    private final Map<String, Integer> ranks = new HashMap<>();
    private final char[] alphabet = new char[256];

    ReferenceBpe(Path tokenizerJson) throws IOException {
        JsonNode root = new ObjectMapper().readTree(tokenizerJson.toFile());
        root.path("model").path("vocab").fields().forEachRemaining(e -> vocab.put(e.getKey(), e.getValue().asInt()));
        int rank = 0;
        for (JsonNode m : root.path("model").path("merges")) {
            ranks.putIfAbsent(m.asText(), rank++);
        }
        // Printable bytes stand for themselves; the other 68 take U+0100, U+0101, ... in byte order.
        int next = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174);
            alphabet[b] = printable ? (char) b : (char) (256 + next++);
        }
    }

    int[] encode(String text) {
        List<Integer> ids = new ArrayList<>();
        Matcher m = GPT2_SPLIT.matcher(text);
        while (m.find()) {
            for (String piece : word(m.group())) {
                Integer id = vocab.get(piece);
                if (id == null) {
                    throw new AssertionError("piece '" + piece + "' is not in the vocabulary");
                }
                ids.add(id);
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /** BPE on one pre-tokenized word. */
    List<String> word(String raw) {
        List<String> parts = new ArrayList<>();
        for (byte b : raw.getBytes(StandardCharsets.UTF_8)) {
            parts.add(String.valueOf(alphabet[b & 0xff]));
        }
        while (parts.size() > 1) {
            int bestRank = Integer.MAX_VALUE;
            String bestKey = null;
            for (int i = 0; i + 1 < parts.size(); i++) {
                Integer r = ranks.get(parts.get(i) + " " + parts.get(i + 1));
                if (r != null && r < bestRank) {
                    bestRank = r;
                    bestKey = parts.get(i) + " " + parts.get(i + 1);
                }
            }
            if (bestKey == null) {
                break;
            }
            List<String> merged = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                if (i + 1 < parts.size() && (parts.get(i) + " " + parts.get(i + 1)).equals(bestKey)) {
                    merged.add(parts.get(i) + parts.get(i + 1));
                    i++;
                } else {
                    merged.add(parts.get(i));
                }
            }
            parts = merged;
        }
        return parts;
    }
}
