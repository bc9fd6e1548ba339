package io.jneuron.core.report;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How a table reads, in text and in HTML, whatever holds its cells. Text: columns two spaces apart, text
 * left and numbers right, at most {@link #MAX_WIDTH} characters a line (the widest text columns shrink and
 * their long cells are elided in the middle, keeping both ends of a path; the HTML form has every value in
 * full). HTML: inline styles, because notebook front ends right-align and stretch tables by default: text left,
 * numbers right, the table as narrow as its content, long values wrapping (paths after each '/').
 * Stateless.
 */
public final class TableLayout {
    /** The widest text line a table may have: fits a terminal, a diff and a notebook's text view. */
    public static final int MAX_WIDTH = 120;
    private static final int MIN_COLUMN = 12;
    /** Up to this many rows, a table too wide for its headers is shown as one name/value block per row. */
    private static final int MAX_RECORDS = 12;
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d[\\d,_]*)?(\\.\\d+)?([eE][-+]?\\d+)?( ?%)?");
    private static final String TABLE_STYLE = "border-collapse:collapse;width:auto;max-width:100%;table-layout:auto;"
            + "margin-left:0;margin-right:auto";
    private static final String CELL = "padding:2px 10px 2px 0;vertical-align:top;";
    private static final String TEXT_CELL = CELL + "text-align:left;white-space:normal;overflow-wrap:anywhere";
    private static final String NUMBER_CELL = CELL + "text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums";

    private TableLayout() {
    }

    /** A column is numeric when every cell is a number or a placeholder ("-", empty). */
    public static boolean[] numericColumns(int columns, List<List<String>> rows) {
        boolean[] numeric = new boolean[columns];
        for (int c = 0; c < columns; c++) {
            boolean any = false;
            boolean all = true;
            for (List<String> r : rows) {
                String v = r.get(c) == null ? "" : r.get(c).strip();
                if (v.isEmpty() || v.equals("-")) {
                    continue;
                }
                any = true;
                all &= NUMBER.matcher(v).matches() && v.chars().anyMatch(Character::isDigit);
            }
            numeric[c] = any && all;
        }
        return numeric;
    }

    /** The table as text lines, header first, none over {@code maxWidth} characters. */
    public static String text(List<String> headers, List<List<String>> rows, boolean[] numeric, int maxWidth) {
        int n = headers.size();
        int[] w = new int[n];
        int[] cells = new int[n];
        List<List<String>> lines = new ArrayList<>();
        lines.add(headers);
        lines.addAll(rows);
        for (List<String> line : lines) {
            for (int i = 0; i < n; i++) {
                w[i] = Math.max(w[i], cell(line.get(i)).length());
            }
        }
        for (List<String> r : rows) {
            for (int i = 0; i < n; i++) {
                cells[i] = Math.max(cells[i], cell(r.get(i)).length());
            }
        }
        shrink(w, numeric, maxWidth);
        if (total(w) > maxWidth && rows.size() <= MAX_RECORDS && n > 2) {
            // Wide records (a timings row, a lookup's few entries) read better as name/value lines, one block per
            // row as psql's expanded display has them, than as rows whose headers are cut down to "b...ze".
            StringBuilder sb = new StringBuilder();
            for (int r = 0; r < rows.size(); r++) {
                List<List<String>> pairs = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    pairs.add(List.of(cell(headers.get(i)), cell(rows.get(r).get(i))));
                }
                if (rows.size() > 1) {
                    sb.append(r == 0 ? "" : "\n").append("-[ row ").append(r + 1).append(" of ").append(rows.size())
                            .append(" ]-\n");
                }
                sb.append(text(List.of("property", "value"), pairs, numericColumns(2, pairs), maxWidth)).append('\n');
            }
            return sb.toString().stripTrailing();
        }
        // Still too wide: columns whose header is wider than their values give up header characters.
        while (total(w) > maxWidth) {
            int pick = -1;
            for (int i = 0; i < n; i++) {
                if (w[i] > Math.max(cells[i], 6) && (pick < 0 || w[i] - cells[i] > w[pick] - cells[pick])) {
                    pick = i;
                }
            }
            if (pick < 0) {
                break;
            }
            w[pick]--;
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> line : lines) {
            StringBuilder l = new StringBuilder();
            for (int i = 0; i < n; i++) {
                String c = elide(cell(line.get(i)), w[i]);
                String pad = " ".repeat(w[i] - c.length());
                l.append(i == 0 ? "" : "  ").append(numeric[i] ? pad + c : c + pad);
            }
            sb.append(l.toString().stripTrailing()).append('\n');
        }
        return sb.toString().stripTrailing();
    }

    /** Narrows the widest text column one character at a time, never below {@link #MIN_COLUMN} or a numeric column at all, until it fits. */
    private static void shrink(int[] w, boolean[] numeric, int maxWidth) {
        while (total(w) > maxWidth) {
            int widest = -1;
            for (int i = 0; i < w.length; i++) {
                if (!numeric[i] && w[i] > MIN_COLUMN && (widest < 0 || w[i] > w[widest])) {
                    widest = i;
                }
            }
            if (widest < 0) {
                return; // only numbers and short columns left: a line may stay long rather than lose digits
            }
            w[widest]--; // one at a time, so the long columns end up sharing the room

        }
    }

    private static int total(int[] w) {
        int t = 2 * (w.length - 1);
        for (int x : w) {
            t += x;
        }
        return t;
    }

    /** {@code s} in at most {@code width} characters: its start and its end (a path's file name) around "...". */
    public static String elide(String s, int width) {
        if (s.length() <= width) {
            return s;
        }
        int tail = (width - 3) * 2 / 3;
        int head = width - 3 - tail;
        return s.substring(0, head) + "..." + s.substring(s.length() - tail);
    }

    /** The table as HTML with the given CSS class, every value escaped, numbers right-aligned. */
    public static String html(String cssClass, List<String> headers, List<List<String>> rows, boolean[] numeric) {
        StringBuilder sb = new StringBuilder();
        sb.append("<table class=\"").append(cssClass).append("\" style=\"").append(TABLE_STYLE).append("\">\n<thead>\n<tr>");
        for (int i = 0; i < headers.size(); i++) {
            sb.append("<th style=\"").append(numeric[i] ? NUMBER_CELL : TEXT_CELL).append("\">")
                    .append(escape(cell(headers.get(i)))).append("</th>");
        }
        sb.append("</tr>\n</thead>\n<tbody>\n");
        for (List<String> r : rows) {
            sb.append("<tr>");
            for (int i = 0; i < r.size(); i++) {
                sb.append("<td style=\"").append(numeric[i] ? NUMBER_CELL : TEXT_CELL).append("\">")
                        .append(breakable(escape(cell(r.get(i))))).append("</td>");
            }
            sb.append("</tr>\n");
        }
        return sb.append("</tbody>\n</table>\n").toString();
    }

    /** Lets a browser break a path after each '/' (and a dotted name after each '.') rather than mid-word. */
    private static String breakable(String escaped) {
        return escaped.length() <= 24 ? escaped : escaped.replace("/", "/<wbr>");
    }

    /** {@code text} broken into lines of at most {@code width} characters at spaces; longer words stay whole. */
    public static String wrap(String text, int width) {
        StringBuilder out = new StringBuilder();
        for (String para : text.split("\n", -1)) {
            int col = 0;
            StringBuilder line = new StringBuilder();
            for (String word : para.split(" ", -1)) {
                if (col > 0 && col + 1 + word.length() > width) {
                    out.append(line).append('\n');
                    line.setLength(0);
                    col = 0;
                } else if (col > 0 || line.length() > 0) {
                    line.append(' ');
                    col++;
                }
                line.append(word);
                col += word.length();
            }
            out.append(line).append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    public static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String cell(String v) {
        return v == null ? "-" : v;
    }
}
