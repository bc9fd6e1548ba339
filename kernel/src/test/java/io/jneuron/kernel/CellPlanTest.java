package io.jneuron.kernel;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CellPlanTest {
    /** Java is "complete" here when its braces balance: enough to tell a magic line from a '%' inside a block. */
    private static boolean balanced(String java) {
        return java.chars().filter(c -> c == '{').count() == java.chars().filter(c -> c == '}').count();
    }

    private static List<CellPlan.Step> steps(String cell) {
        return CellPlan.parse(cell, CellPlanTest::balanced).steps();
    }

    @Test
    void lineMagicsRunOnAnyLineBetweenJava() {
        assertEquals(List.of(new CellPlan.Java("int z = 1;\n"), new CellPlan.LineMagic("neuron_backend", ""),
                new CellPlan.Java("z + 1\n")), steps("int z = 1;\n%neuron_backend\nz + 1"));
    }

    @Test
    void aCellMagicTakesTheWholeBodyEvenWhenEmpty() {
        assertEquals(List.of(new CellPlan.CellMagic("g", "m --x 1", "Once\n%upon")), steps("\n%%g m --x 1\nOnce\n%upon"));
        assertEquals(List.of(new CellPlan.CellMagic("g", "", "")), steps("%%g"));
    }

    @Test
    void aMagicAssignmentKeepsItsTarget() {
        assertEquals(List.of(new CellPlan.Assign("var rows =", "neuron_cache", "lookup m")),
                steps("var rows = %neuron_cache lookup m"));
        assertEquals(List.of(new CellPlan.Java("int r = a % b;\n")), steps("int r = a % b;"));
        assertEquals(List.of(new CellPlan.Java("boolean b = x == %y;\n")), steps("boolean b = x == %y;"));
    }

    @Test
    void aPercentLineInsideABlockStaysJava() {
        assertEquals(List.of(new CellPlan.Java("int f(int a) {\n  return a\n%2;\n}\n")),
                steps("int f(int a) {\n  return a\n%2;\n}"));
    }

    @Test
    void argumentsSplitOnSpacesWithQuotesAndEscapes() {
        assertEquals(List.of("lookup", "a b", "x\"y", "it's"), CellPlan.split("lookup \"a b\" x\\\"y \"it's\""));
    }

    @Test
    void expansionTakesExpressionsAndVariablesFromJava() {
        Map<String, String> vars = Map.of("model", "/m/tiny llama", "n", "128");
        ArgExpander x = new ArgExpander(vars::containsKey, e -> vars.getOrDefault(e, e.equals("n * 2") ? "256" : null));
        assertEquals("lookup /m/tiny\\ llama --sequence_length 256 $HOME \\$n \\{n}",
                x.expand("lookup $model --sequence_length {n * 2} $HOME \\$n \\{n}"));
        assertEquals(List.of("lookup", "/m/tiny llama", "--sequence_length", "256", "$HOME", "$n", "{n}"),
                CellPlan.split(x.expand("lookup $model --sequence_length {n * 2} $HOME \\$n \\{n}")));
        ArgExpander failing = new ArgExpander(v -> false, e -> {
            throw new CellError("compile error", List.of());
        });
        assertThrows(CellError.class, () -> failing.expand("{nope(}"));
    }

    @Test
    void spansMarkTheOffendingColumns() {
        assertEquals(List.of("   2 | int y = z;", "     |         ^"), Spans.mark("int x;\nint y = z;", 15, 16));
    }
}
