package io.jneuron.core.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableLayoutTest {
    @Test
    void textIsCompactWithTextLeftAndNumbersRight() {
        List<List<String>> rows = List.of(List.of("gpt2", "128", "1.5"), List.of("tiny-llama", "2048", "-"));
        boolean[] num = TableLayout.numericColumns(3, rows);
        assertArrayEquals(new boolean[] {false, true, true}, num);
        assertEquals("model       sequence   ms\n"
                + "gpt2             128  1.5\n"
                + "tiny-llama      2048    -", TableLayout.text(List.of("model", "sequence", "ms"), rows, num, 120));
    }

    @Test
    void longCellsAreElidedToKeepLinesWithinTheLimitKeepingThePathsEnd() {
        String path = "/home/someone/.cache/jneuron/neuronxcc-2.21/0_REGISTRY/0.3.0/llama/tiny/abcdef0123456789abcd.json";
        List<List<String>> rows = List.of(List.of(path, "ok", "128", "a reason that is also rather long for one cell"));
        String text = TableLayout.text(List.of("registry file", "state", "sequence length", "reason"), rows,
                TableLayout.numericColumns(4, rows), 80);
        for (String line : text.split("\n")) {
            assertTrue(line.length() <= 80, line.length() + ": " + line);
        }
        assertTrue(text.contains("...") && text.contains("789abcd.json"), text);
    }

    @Test
    void aWideSingleRowBecomesNameValueLines() {
        List<String> headers = List.of("backend", "batch", "sequence", "bucket", "load ms", "TTFT ms", "prompt tokens",
                "prefill ms", "prefill tok/s", "decode tokens", "decode ms", "decode tok/s");
        List<List<String>> rows = List.of(List.of("cpu", "1", "128", "128", "31.0", "12.5", "5", "12.5", "400.0", "24",
                "80.1", "299.6"));
        String text = TableLayout.text(headers, rows, TableLayout.numericColumns(12, rows), 120);
        assertTrue(text.startsWith("property       value\nbackend        cpu\nbatch          1\n"), text);
        assertTrue(text.contains("\ndecode tok/s   299.6"), text);
    }

    @Test
    void aFewWideRowsBecomeOneNameValueBlockEachWithFullHeaders() {
        List<String> headers = List.of("batch size", "sequence length", "tensor parallel", "dtype", "instance type",
                "task", "compiler type", "compiler version", "checkpoint revision", "auto_cast", "auto_cast_type",
                "optlevel", "source", "entry");
        List<List<String>> rows = List.of(
                List.of("1", "128", "1", "float32", "cpu", "text-generation", "jneuron-cpu", "0.1.0",
                        "ede0123456789abcdef0123456789abcdea6ea0b", "none", "fp32", "2", "local", "1f5aaaaaaaaaaac41f9a"),
                List.of("2", "256", "1", "bfloat16", "cpu", "text-generation", "jneuron-cpu", "0.1.0",
                        "ede0123456789abcdef0123456789abcdea6ea0b", "matmul", "bf16", "3", "local", "3eabbbbbbbbbbb1b267d"));
        String text = TableLayout.text(headers, rows, TableLayout.numericColumns(14, rows), 120);
        assertTrue(text.startsWith("-[ row 1 of 2 ]-\nproperty             value\nbatch size           1\n"), text);
        assertTrue(text.contains("\n\n-[ row 2 of 2 ]-\n"), text);
        assertTrue(text.contains("\ncheckpoint revision  ede0123456789abcdef0123456789abcdea6ea0b\n"), text);
        assertTrue(text.contains("\nauto_cast_type       bf16\n"), text);
        assertTrue(text.lines().allMatch(l -> l.length() <= 120 && !l.contains("...")), text);
        // a narrow table keeps its rows
        List<List<String>> narrow = List.of(List.of("1", "a"), List.of("2", "b"));
        assertEquals("n  x\n1  a\n2  b", TableLayout.text(List.of("n", "x"), narrow, TableLayout.numericColumns(2, narrow), 120));
    }

    @Test
    void htmlAlignsTextLeftNumbersRightAndBreaksPathsAfterSlashes() {
        List<List<String>> rows = List.of(List.of("/a/very/long/path/to/some/file.json", "42"));
        String html = TableLayout.html("t", List.of("file", "n"), rows, TableLayout.numericColumns(2, rows));
        assertTrue(html.contains("<td style=\"padding:2px 10px 2px 0;vertical-align:top;text-align:left;"), html);
        assertTrue(html.contains("text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums\">42</td>"), html);
        assertTrue(html.contains("/<wbr>a/<wbr>very/<wbr>long"), html);
        assertTrue(html.contains("width:auto;max-width:100%"), html);
    }

    @Test
    void streamedTextWrapsAtWordBoundaries() {
        assertEquals("Once upon\na time\nthere", TableLayout.wrap("Once upon a time there", 10));
        assertEquals("abcdefghijklmno\nx", TableLayout.wrap("abcdefghijklmno x", 10));
    }
}
