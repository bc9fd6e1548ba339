package io.jneuron.core.pipeline;

import io.jneuron.core.NeuronKernelException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * token-classification's entities from per-token label probabilities. {@code word} (the default, the shape
 * issue 11 asked for) gives one entity per word, labelled by its first token, {@code O} dropped. The others
 * follow transformers' {@code TokenClassificationPipeline} {@code aggregation_strategy}: {@code none} one
 * entity per token (with its {@code index}); {@code simple} adjacent tokens merged into entity groups
 * ({@code B-X} opens a group, {@code I-X} and an unprefixed {@code X} continue one of tag X; score the mean of
 * the tokens'); {@code first}, {@code average} and {@code max} first make words (label of the first token,
 * of the averaged probabilities, or of the most confident token) and then group words like {@code simple}.
 * Groups labelled {@code O} are dropped. A sub-word is a token of the same word (the tokenizer's word ids)
 * as the token before it.
 */
final class EntityAggregation {
    static final List<String> STRATEGIES = List.of("word", "none", "simple", "first", "average", "max");

    /** One non-special token: its position in the encoding, id, probabilities, character span and word. */
    record Token(int index, int id, String text, double[] p, int start, int end, int word) {
    }

    /** An entity before its word string is made: the tokens it covers. */
    private record Item(String label, double score, List<Token> tokens) {
    }

    private EntityAggregation() {
    }

    static void check(String strategy) {
        if (!STRATEGIES.contains(strategy)) {
            throw new NeuronKernelException("unknown --aggregation " + strategy + "; use one of "
                    + String.join(", ", STRATEGIES));
        }
    }

    /**
     * @param text    the input, for the default's word strings (its own characters)
     * @param decode  token ids to a string as the tokenizer's decoder joins them (transformers'
     *                {@code convert_tokens_to_string}), for group words
     */
    static List<PipelineOutput.Entity> aggregate(String strategy, List<Token> tokens, List<String> labels, String text,
                                                 Function<int[], String> decode) {
        List<PipelineOutput.Entity> out = new ArrayList<>();
        switch (strategy) {
            case "word" -> {
                for (List<Token> w : words(tokens)) {
                    Item it = word(w, "first", labels);
                    if (!it.label().equals("O")) {
                        Token last = w.get(w.size() - 1);
                        out.add(new PipelineOutput.Entity(it.label(), it.score(), text.substring(w.get(0).start(),
                                last.end()), w.get(0).start(), last.end(), null, false));
                    }
                }
            }
            case "none" -> {
                for (Token t : tokens) {
                    int best = argmax(t.p());
                    if (!labels.get(best).equals("O")) {
                        out.add(new PipelineOutput.Entity(labels.get(best), t.p()[best], t.text(), t.start(), t.end(),
                                t.index(), false));
                    }
                }
            }
            default -> {
                List<Item> items = new ArrayList<>();
                if (strategy.equals("simple")) {
                    for (Token t : tokens) {
                        int best = argmax(t.p());
                        items.add(new Item(labels.get(best), t.p()[best], List.of(t)));
                    }
                } else {
                    for (List<Token> w : words(tokens)) {
                        items.add(word(w, strategy, labels));
                    }
                }
                for (List<Item> g : groups(items)) {
                    String label = g.get(0).label();
                    String tag = label.substring(label.indexOf('-') + 1); // "B-PER" -> "PER", "O" -> "O"
                    if (tag.equals("O")) {
                        continue;
                    }
                    double score = 0;
                    List<Token> covered = new ArrayList<>();
                    for (Item it : g) {
                        score += it.score();
                        covered.addAll(it.tokens());
                    }
                    int[] ids = covered.stream().mapToInt(Token::id).toArray();
                    out.add(new PipelineOutput.Entity(tag, score / g.size(), decode.apply(ids), covered.get(0).start(),
                            covered.get(covered.size() - 1).end(), null, true));
                }
            }
        }
        return out;
    }

    /** Tokens cut into words: a token continues the word before it when it has the same word id. */
    private static List<List<Token>> words(List<Token> tokens) {
        List<List<Token>> words = new ArrayList<>();
        for (Token t : tokens) {
            List<Token> last = words.isEmpty() ? null : words.get(words.size() - 1);
            if (last != null && t.word() >= 0 && last.get(last.size() - 1).word() == t.word()) {
                last.add(t);
            } else {
                words.add(new ArrayList<>(List.of(t)));
            }
        }
        return words;
    }

    private static Item word(List<Token> w, String strategy, List<String> labels) {
        double[] p = switch (strategy) {
            case "first" -> w.get(0).p();
            case "max" -> {
                Token best = w.get(0);
                for (Token t : w) {
                    best = t.p()[argmax(t.p())] > best.p()[argmax(best.p())] ? t : best;
                }
                yield best.p();
            }
            default -> { // average
                double[] mean = new double[labels.size()];
                for (Token t : w) {
                    for (int i = 0; i < mean.length; i++) {
                        mean[i] += t.p()[i] / w.size();
                    }
                }
                yield mean;
            }
        };
        int best = argmax(p);
        return new Item(labels.get(best), p[best], w);
    }

    /** transformers' {@code group_entities}: a new group unless the tag is the previous one's and this is not a B-. */
    private static List<List<Item>> groups(List<Item> items) {
        List<List<Item>> groups = new ArrayList<>();
        for (Item it : items) {
            List<Item> last = groups.isEmpty() ? null : groups.get(groups.size() - 1);
            if (last != null && !it.label().startsWith("B-") && tag(it.label()).equals(tag(last.get(last.size() - 1).label()))) {
                last.add(it);
            } else {
                groups.add(new ArrayList<>(List.of(it)));
            }
        }
        return groups;
    }

    private static String tag(String label) {
        return label.startsWith("B-") || label.startsWith("I-") ? label.substring(2) : label;
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            best = p[i] > p[best] ? i : best;
        }
        return best;
    }
}
