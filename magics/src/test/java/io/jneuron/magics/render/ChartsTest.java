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
    void mismatchedListsNameTheCounts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Charts.bars("t", "x", "y", List.of("a"), List.of(), List.of("g")));
        assertEquals("bars: 1 labels, 0 values and 1 groups; give one of each per bar", e.getMessage());
    }
}
