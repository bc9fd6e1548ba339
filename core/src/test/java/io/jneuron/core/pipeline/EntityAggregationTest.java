package io.jneuron.core.pipeline;

import io.jneuron.core.NeuronKernelException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every aggregation strategy on one fixed label sequence, against entities worked out by hand from transformers'
 * TokenClassificationPipeline rules (aggregate_words, group_entities, group_sub_entities).
 */
class EntityAggregationTest {
    static final String TEXT = "Sarah Jonesey lives in New York";
    static final List<String> LABELS = List.of("O", "B-PER", "I-PER", "B-LOC", "I-LOC");
    /** WordPiece tokens (uncased) after [CLS], their spans in TEXT and word ids. */
    static final String[] TOKENS = {"sarah", "jones", "##ey", "lives", "in", "new", "york"};
    static final int[][] SPANS = {{0, 5}, {6, 11}, {11, 13}, {14, 19}, {20, 22}, {23, 26}, {27, 31}};
    static final int[] WORDS = {0, 1, 1, 2, 3, 4, 5};
    static final double[][] P = {
        {0.025, 0.9, 0.025, 0.025, 0.025},   // sarah: B-PER
        {0.05, 0.05, 0.8, 0.05, 0.05},       // jones: I-PER
        {0.05, 0.0, 0.05, 0.85, 0.05},       // ##ey: B-LOC, more confident than "jones"
        {0.7, 0.1, 0.1, 0.05, 0.05},         // lives: O
        {0.6, 0.1, 0.1, 0.1, 0.1},           // in: O
        {0.1, 0.05, 0.05, 0.7, 0.1},         // new: B-LOC
        {0.025, 0.025, 0.025, 0.025, 0.9}};  // york: I-LOC

    static List<EntityAggregation.Token> tokens() {
        List<EntityAggregation.Token> t = new ArrayList<>();
        for (int i = 0; i < TOKENS.length; i++) {
            t.add(new EntityAggregation.Token(i + 1, i, TOKENS[i], P[i], SPANS[i][0], SPANS[i][1], WORDS[i]));
        }
        return t;
    }

    /** The WordPiece decoder: "##" joins a token to the one before it (kept on the first token), else a space. */
    static String decode(int[] ids) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < ids.length; k++) {
            String tok = TOKENS[ids[k]];
            b.append(k == 0 ? tok : tok.startsWith("##") ? tok.substring(2) : " " + tok);
        }
        return b.toString();
    }

    static List<String> run(String strategy) {
        return EntityAggregation.aggregate(strategy, tokens(), LABELS, TEXT, EntityAggregationTest::decode).stream()
                .map(e -> String.format(java.util.Locale.ROOT, "%s%s %.4f '%s' %d-%d%s", e.group() ? "group " : "",
                        e.entity(), e.score(), e.word(), e.start(), e.end(), e.index() == null ? "" : " #" + e.index()))
                .toList();
    }

    @Test
    void wordIsTheDefaultOneEntityPerWordWithTheTextsOwnCharacters() {
        assertEquals(List.of("B-PER 0.9000 'Sarah' 0-5", "I-PER 0.8000 'Jonesey' 6-13", "B-LOC 0.7000 'New' 23-26",
                "I-LOC 0.9000 'York' 27-31"), run("word"));
    }

    @Test
    void noneIsOneEntityPerTokenWithItsIndex() {
        assertEquals(List.of("B-PER 0.9000 'sarah' 0-5 #1", "I-PER 0.8000 'jones' 6-11 #2", "B-LOC 0.8500 '##ey' 11-13 #3",
                "B-LOC 0.7000 'new' 23-26 #6", "I-LOC 0.9000 'york' 27-31 #7"), run("none"));
    }

    @Test
    void simpleGroupsTokensAndABStartsANewGroup() {
        // B-PER I-PER -> PER (0.9 + 0.8) / 2; ##ey's B-LOC opens its own group; O O dropped; B-LOC I-LOC -> LOC 0.8
        assertEquals(List.of("group PER 0.8500 'sarah jones' 0-11", "group LOC 0.8500 '##ey' 11-13",
                "group LOC 0.8000 'new york' 23-31"), run("simple"));
    }

    @Test
    void firstAverageAndMaxLabelWholeWordsThenGroup() {
        // first: "jonesey" takes "jones"' I-PER 0.8, so it joins Sarah: PER (0.9 + 0.8) / 2
        assertEquals(List.of("group PER 0.8500 'sarah jonesey' 0-13", "group LOC 0.8000 'new york' 23-31"), run("first"));
        // average: (jones + ##ey) / 2 = [0.05, 0.025, 0.425, 0.45, 0.05] -> B-LOC 0.45, a group of its own
        assertEquals(List.of("group PER 0.9000 'sarah' 0-5", "group LOC 0.4500 'jonesey' 6-13",
                "group LOC 0.8000 'new york' 23-31"), run("average"));
        // max: ##ey (0.85) is more confident than jones (0.8): B-LOC 0.85
        assertEquals(List.of("group PER 0.9000 'sarah' 0-5", "group LOC 0.8500 'jonesey' 6-13",
                "group LOC 0.8000 'new york' 23-31"), run("max"));
    }

    @Test
    void anUnknownStrategyIsAClearError() {
        NeuronKernelException e = assertThrows(NeuronKernelException.class, () -> new PipelineRequest("token-classification",
                "m", List.of("x"), null, null, 5, null, null, false, "mean"));
        assertEquals("unknown --aggregation mean; use one of word, none, simple, first, average, max", e.getMessage());
    }

    @Test
    void groupsAreKeyedEntityGroupInJson() {
        PipelineOutput.Entity e = EntityAggregation.aggregate("simple", tokens(), LABELS, TEXT,
                EntityAggregationTest::decode).get(0);
        assertEquals(List.of("entity_group", "score", "word", "start", "end"), List.copyOf(e.json().keySet()));
        assertEquals("PER", e.json().get("entity_group"));
        assertEquals("{entity=B-PER, score=0.9, word=Sarah, start=0, end=5}", EntityAggregation.aggregate("word", tokens(),
                LABELS, TEXT, EntityAggregationTest::decode).get(0).json().toString());
    }
}
