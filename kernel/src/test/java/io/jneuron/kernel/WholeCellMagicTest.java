package io.jneuron.kernel;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WholeCellMagicTest {
    @Test
    void lineMagicSplitsQuotedArguments() {
        assertEquals(Optional.of(new WholeCellMagic("neuron_cache", List.of("lookup", "a b", "x\"y"), null)),
                WholeCellMagic.parse("  %neuron_cache lookup \"a b\" x\\\"y  "));
    }

    @Test
    void cellMagicKeepsTheBodyEvenWhenEmpty() {
        assertEquals(Optional.of(new WholeCellMagic("g", List.of("m"), "Once\nupon")),
                WholeCellMagic.parse("%%g m\nOnce\nupon"));
        assertEquals(Optional.of(new WholeCellMagic("g", List.of(), "")), WholeCellMagic.parse("%%g"));
    }

    @Test
    void javaAndMultiLineCodeAreNotWholeCellMagics() {
        assertEquals(Optional.empty(), WholeCellMagic.parse("int x = 1;"));
        assertEquals(Optional.empty(), WholeCellMagic.parse("%a\n%b"));
        assertEquals(Optional.empty(), WholeCellMagic.parse("% 5"));
    }

    @Test
    void spansMarkTheOffendingColumns() {
        assertEquals(List.of("   2 | int y = z;", "     |         ^"), Spans.mark("int x;\nint y = z;", 15, 16));
    }
}
