package io.jneuron.core.testing;

import io.jneuron.core.model.ByteLevel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Trains a byte-level BPE vocabulary deterministically: the classic algorithm (repeatedly merge the
 * most frequent adjacent pair of the pre-tokenized corpus; ties go to the pair whose strings sort
 * first) until pairs occur only once, then, when a larger vocabulary is wanted, seeded synthetic merges
 * of existing tokens. The result depends only on the corpus and the size.
 */
final class BpeTrainer {
    /** Synthetic merges use their own fixed seed: the tokenizer must not change with the weight seed. */
    private static final long SYNTHETIC_SEED = 0x6a6e6575726f6eL;
    /** Keeps synthetic tokens word-sized. */
    private static final int MAX_SYNTHETIC_CHARS = 12;
    /** Right-hand parts of synthetic merges are short lowercase pieces ("s", "ed", "ing"). */
    private static final int MAX_SYNTHETIC_RIGHT = 4;

    /** Tokens in id order (the 256 byte tokens first) and merges in rank order, as "left right". */
    record Result(List<String> tokens, List<String> merges, int corpusMerges) {
    }

    private BpeTrainer() {
    }

    /**
     * @param size     number of BPE tokens wanted (special tokens not included), at least 256
     * @param reserved strings no token may become (the special tokens)
     */
    static Result train(String corpus, int size, Set<String> reserved) {
        if (size < 256) {
            throw new IllegalArgumentException("a byte-level vocabulary needs at least 256 tokens, got " + size);
        }
        List<String> tokens = new ArrayList<>(ByteLevel.baseTokens());
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            ids.put(tokens.get(i), i);
        }
        List<String> merges = new ArrayList<>();

        // Unique words with counts; a sorted map keeps every later step independent of hash order.
        Map<String, Integer> freq = new TreeMap<>();
        for (String w : ByteLevel.words(corpus)) {
            freq.merge(w, 1, Integer::sum);
        }
        List<int[]> words = new ArrayList<>();
        int[] counts = new int[freq.size()];
        for (Map.Entry<String, Integer> e : freq.entrySet()) {
            String w = e.getKey();
            int[] symbols = new int[w.length()];
            for (int i = 0; i < symbols.length; i++) {
                symbols[i] = ids.get(String.valueOf(w.charAt(i)));
            }
            counts[words.size()] = e.getValue();
            words.add(symbols);
        }

        while (tokens.size() < size) {
            long best = bestPair(words, counts, tokens);
            if (best < 0) {
                break;
            }
            int left = (int) (best >>> 32);
            int right = (int) best;
            String merged = tokens.get(left) + tokens.get(right);
            if (reserved.contains(merged)) {
                break;
            }
            merges.add(tokens.get(left) + " " + tokens.get(right));
            // Two merge paths can spell the same string ("ab"+"c", "a"+"bc"): both map to one token.
            Integer id = ids.get(merged);
            if (id == null) {
                id = tokens.size();
                tokens.add(merged);
                ids.put(merged, id);
            }
            for (int w = 0; w < words.size(); w++) {
                words.set(w, apply(words.get(w), left, right, id));
            }
        }
        int corpusMerges = merges.size();
        addSynthetic(tokens, ids, merges, size, reserved);
        return new Result(List.copyOf(tokens), List.copyOf(merges), corpusMerges);
    }

    /** The most frequent pair occurring at least twice, packed as left<<32|right, or -1. */
    private static long bestPair(List<int[]> words, int[] counts, List<String> tokens) {
        Map<Long, Integer> pairs = new HashMap<>();
        for (int w = 0; w < words.size(); w++) {
            int[] s = words.get(w);
            for (int i = 0; i + 1 < s.length; i++) {
                pairs.merge(((long) s[i] << 32) | s[i + 1], counts[w], Integer::sum);
            }
        }
        long best = -1;
        int bestCount = 1;
        for (Map.Entry<Long, Integer> e : pairs.entrySet()) {
            int c = e.getValue();
            long p = e.getKey();
            if (c > bestCount || (c == bestCount && best >= 0 && comparePairs(p, best, tokens) < 0)) {
                best = p;
                bestCount = c;
            }
        }
        return best;
    }

    private static int comparePairs(long a, long b, List<String> tokens) {
        int c = tokens.get((int) (a >>> 32)).compareTo(tokens.get((int) (b >>> 32)));
        return c != 0 ? c : tokens.get((int) a).compareTo(tokens.get((int) b));
    }

    /** Replaces each non-overlapping occurrence of (left, right), scanning left to right. */
    private static int[] apply(int[] s, int left, int right, int merged) {
        int[] out = null;
        int n = 0;
        for (int i = 0; i < s.length; i++) {
            if (i + 1 < s.length && s[i] == left && s[i + 1] == right) {
                if (out == null) {
                    out = new int[s.length - 1];
                    System.arraycopy(s, 0, out, 0, i);
                    n = i;
                }
                out[n++] = merged;
                i++;
            } else if (out != null) {
                out[n++] = s[i];
            }
        }
        return out == null ? s : java.util.Arrays.copyOf(out, n);
    }

    /**
     * Grows the vocabulary past what the corpus supports with word-like merges of existing tokens: a
     * left part of letters (optionally a word start, {@code Ġ}) and a short lowercase right part, such as
     * "Ġgarden" + "ly". The pre-tokenizer only puts a space at the start of a word, so such tokens can
     * really occur, and decoded text stays readable.
     */
    private static void addSynthetic(List<String> tokens, Map<String, Integer> ids, List<String> merges, int size,
                                     Set<String> reserved) {
        List<String> lefts = new ArrayList<>();
        List<String> rights = new ArrayList<>();
        for (String t : tokens) {
            if (t.matches("Ġ?[A-Za-z]*") && !t.isEmpty()) {
                lefts.add(t);
            }
            if (t.matches("[a-z]{1," + MAX_SYNTHETIC_RIGHT + "}")) {
                rights.add(t);
            }
        }
        SplittableRandom rng = new SplittableRandom(SYNTHETIC_SEED);
        long attempts = 0;
        while (tokens.size() < size) {
            if (++attempts > 1000L * size) {
                throw new IllegalStateException("cannot find enough synthetic merges for " + size + " tokens");
            }
            String left = lefts.get(rng.nextInt(lefts.size()));
            String right = rights.get(rng.nextInt(rights.size()));
            String merged = left + right;
            if (merged.length() > MAX_SYNTHETIC_CHARS || ids.containsKey(merged) || reserved.contains(merged)) {
                continue;
            }
            merges.add(left + " " + right);
            ids.put(merged, tokens.size());
            tokens.add(merged);
            lefts.add(merged);
        }
    }
}
