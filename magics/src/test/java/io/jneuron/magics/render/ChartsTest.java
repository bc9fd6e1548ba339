package io.jneuron.magics.render;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChartsTest {
    @Test
    void barsAreAnSvgWithTitleLegendLabelsAndValues() {
        Charts.Chart c = Charts.bars("prefill time", "prompt tokens", "ms", List.of("64", "129"), List.of(1.26, 3.5),
                List.of("bucket 128", "bucket 256"));
        assertEquals("prefill time", c.title());
        assertTrue(c.svg().startsWith("<svg"), c.svg().substring(0, 40));
        for (String want : List.of("prefill time", "bucket 128", "bucket 256", ">64<", ">129<", ">1.3<", ">3.5<")) {
            assertTrue(c.svg().contains(want), want);
        }
    }

    @Test
    void aHeatmapLabelsRowsAndColumnsAndPrintsEveryCell() {
        Charts.Chart c = Charts.heatmap("cosine similarity", List.of("#1 a man eats", "#2 a girl plays"), List.of("#1", "#2"),
                new double[][] {{1.0, 0.25}, {0.25, 1.0}}, 0, 1);
        assertTrue(c.svg().startsWith("<svg"), c.svg().substring(0, 40));
        for (String want : List.of("cosine similarity", "#1 a man eats", "#2 a girl plays", ">1.00<", ">0.25<")) {
            assertTrue(c.svg().contains(want), want);
        }
        assertEquals(2, c.svg().split(">0.25<", -1).length - 1, "both off-diagonal cells are printed");
        // the full-similarity cells are drawn in the palette's blue, the 0.25 ones lighter
        assertTrue(c.svg().contains("rgb(76,120,168)"), "cells at the maximum are PALETTE[0]");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Charts.heatmap("t", List.of("a"),
                List.of("a", "b"), new double[][] {{1}}, 0, 1));
        assertEquals("heatmap: 1 row labels and 2 column labels need a 1 x 2 matrix", e.getMessage());
    }

    @Test
    void mismatchedListsNameTheCounts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Charts.bars("t", "x", "y", List.of("a"), List.of(), List.of("g")));
        assertEquals("bars: 1 labels, 0 values and 1 groups; give one of each per bar", e.getMessage());
    }
}
