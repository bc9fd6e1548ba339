package io.jneuron.core.report;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.report.Table.Column;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void htmlEscapesEveryCellAndTheHeadlineAndAlignsByKind() {
        String html = Render.html(Report.of("model <b>", TABLE));
        String text = "padding:2px 10px 2px 0;vertical-align:top;text-align:left;white-space:normal;overflow-wrap:anywhere";
        String number = "padding:2px 10px 2px 0;vertical-align:top;text-align:right;white-space:nowrap;"
                + "font-variant-numeric:tabular-nums";
        assertEquals("<p class=\"jneuron-headline\">model &lt;b&gt;</p>\n"
                + "<table class=\"jneuron-table\" style=\"border-collapse:collapse;width:auto;max-width:100%;"
                + "table-layout:auto;margin-left:0;margin-right:auto\">\n<thead>\n"
                + "<tr><th style=\"" + text + "\">name</th><th style=\"" + number + "\">size</th><th style=\"" + text
                + "\">path</th></tr>\n</thead>\n<tbody>\n"
                + "<tr><td style=\"" + text + "\">a</td><td style=\"" + number + "\">5</td><td style=\"" + text
                + "\">/x</td></tr>\n"
                + "<tr><td style=\"" + text + "\">&lt;script&gt;</td><td style=\"" + number + "\">1234</td><td style=\""
                + text + "\">-</td></tr>\n</tbody>\n</table>\n", html);
    }

    @Test
    void notebookTextKeepsLinesWithinTheWidthAndTheCliTextCutsNothing() {
        String path = "/home/user/.cache/jneuron/neuronxcc-2.21/0_REGISTRY/0.3.0/llama/tiny-llama/0123456789abcdef0123.json";
        Table t = Table.builder(Column.text("name"), Column.path("registry file")).row("tiny", path).build();
        assertEquals("name  registry file\ntiny  " + path, Render.text(t));
        String narrow = Render.text(t, 60);
        assertEquals("name  registry file\ntiny  /home/user/.cache...ny-llama/0123456789abcdef0123.json", narrow);
        assertTrue(narrow.lines().allMatch(l -> l.length() <= 60), narrow);
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
    void sectionsFollowTheReportInTextAndHtmlButNotInItsJson() {
        Report timings = Report.of("timings", Table.of(List.of("run ms"), List.of(List.of("12.5"))));
        Report r = new Report() {
            public String headline() {
                return "result";
            }

            public Table table() {
                return Table.of(List.of("label"), List.of(List.of("POSITIVE")));
            }

            public Object json() {
                return Report.fields("label", "POSITIVE", "score", 0.5f, "ids", Report.list(new float[] {0.1f}));
            }

            @Override
            public List<Report> sections() {
                return List.of(timings);
            }
        };
        assertEquals("result\nlabel\nPOSITIVE\n\ntimings\nrun ms\n12.5", Render.text(r));
        assertEquals(Render.html(Report.of("result", r.table())) + Render.html(timings), Render.html(r));
        assertEquals(Render.html(r).stripTrailing(), Render.as(Render.Format.HTML, r));
        // A float prints as short as it is, not as its widening to double.
        assertEquals("{\n  \"label\": \"POSITIVE\",\n  \"score\": 0.5,\n  \"ids\": [\n    0.1\n  ]\n}", Render.json(r));
    }

    @Test
    void badFormatsAndRaggedRowsAreRefusedByName() {
        assertEquals("--format 'xml' is not text, html or json",
                assertThrows(NeuronKernelException.class, () -> Render.Format.parse("xml")).getMessage());
        assertEquals(Render.Format.JSON, Render.Format.parse("JSON"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Table.of(List.of("a", "b"), List.of(Arrays.asList("x"))));
        assertEquals("row [x] has 1 cells for 2 columns [a, b]", e.getMessage());
    }
}
