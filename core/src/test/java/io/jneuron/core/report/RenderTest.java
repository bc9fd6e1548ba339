package io.jneuron.core.report;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.report.Table.Column;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RenderTest {
    private static final Table TABLE = Table.builder(Column.text("name"), Column.number("size"), Column.path("path"))
            .row("a", 5L, "/x").row("<script>", 1234L, null).build();

    @Test
    void textIsCompactWithNumbersRightAligned() {
        assertEquals("""
                two rows
                name      size  path
                a            5  /x
                <script>  1234  -""", Render.text(Report.of("two rows", TABLE)));
    }

    @Test
    void htmlEscapesEveryCellAndTheHeadline() {
        assertEquals("""
                <p class="jneuron-headline">model &lt;b&gt;</p>
                <table class="jneuron-table">
                <thead>
                <tr><th>name</th><th>size</th><th>path</th></tr>
                </thead>
                <tbody>
                <tr><td>a</td><td>5</td><td>/x</td></tr>
                <tr><td>&lt;script&gt;</td><td>1234</td><td>-</td></tr>
                </tbody>
                </table>
                """, Render.html(Report.of("model <b>", TABLE)));
    }

    @Test
    void anEmptyTableIsLeftOutAndTheHeadlineSaysWhy() {
        Report none = Report.of("No cached entries found for m.", Table.of(List.of("a"), List.of()));
        assertEquals("No cached entries found for m.", Render.text(none));
        assertEquals("<p class=\"jneuron-headline\">No cached entries found for m.</p>\n", Render.html(none));
    }

    @Test
    void jsonIsTheReportsDocumentIndentedAsPythonWould() {
        assertEquals("""
                [
                  {
                    "name": "a",
                    "size": 5,
                    "path": "/x"
                  }
                ]""", Render.json(Table.builder(Column.text("name"), Column.number("size"), Column.path("path"))
                .row("a", 5L, "/x").build()));
    }

    @Test
    void badFormatsAndRaggedRowsAreRefusedByName() {
        assertEquals("--format 'xml' is not text or json",
                assertThrows(NeuronKernelException.class, () -> Render.Format.parse("xml")).getMessage());
        assertEquals(Render.Format.JSON, Render.Format.parse("JSON"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Table.of(List.of("a", "b"), List.of(Arrays.asList("x"))));
        assertEquals("row [x] has 1 cells for 2 columns [a, b]", e.getMessage());
    }
}
