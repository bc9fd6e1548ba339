package io.jneuron.core.report;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.cache.PyJson;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one set of renderers: a {@link Report} as compact text (terminal, text/plain), as HTML (plain strings, every
 * value escaped: registry values come from files anyone may have written) or as its JSON document. A table with no
 * rows is left out; the headline says what was found. Stateless.
 */
public final class Render {
    /** CSS class on every rendered table; the notebook tests look for it. */
    public static final String TABLE_CLASS = "jneuron-table";

    private Render() {
    }

    /** The {@code --format} values. */
    public enum Format {
        TEXT, JSON;

        public static Format parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "text" -> TEXT;
                case "json" -> JSON;
                default -> throw new NeuronKernelException("--format '" + s + "' is not text or json");
            };
        }
    }

    public static String as(Format format, Report r) {
        return format == Format.JSON ? json(r) : text(r);
    }

    /** {@code json.dumps(doc, indent=2)} of the report's document: one document, no trailing newline. */
    public static String json(Report r) {
        return PyJson.dumps(r.json(), PyJson.Style.INDENT2);
    }

    /** Headline, then the table: columns two spaces apart, numbers right-aligned, no trailing blanks. */
    public static String text(Report r) {
        StringBuilder sb = new StringBuilder();
        if (r.headline() != null) {
            sb.append(r.headline()).append('\n');
        }
        Table t = r.table();
        if (t != null && !t.rows().isEmpty()) {
            int n = t.columns().size();
            int[] w = new int[n];
            List<List<String>> lines = new ArrayList<>();
            lines.add(t.headers());
            for (List<Object> row : t.rows()) {
                lines.add(row.stream().map(Table::cell).toList());
            }
            for (List<String> line : lines) {
                for (int i = 0; i < n; i++) {
                    w[i] = Math.max(w[i], line.get(i).length());
                }
            }
            for (List<String> line : lines) {
                StringBuilder l = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    String c = line.get(i);
                    String pad = " ".repeat(w[i] - c.length());
                    l.append(i == 0 ? "" : "  ");
                    l.append(t.columns().get(i).kind() == Table.Kind.NUMBER ? pad + c : c + pad);
                }
                sb.append(l.toString().stripTrailing()).append('\n');
            }
        }
        return sb.toString().stripTrailing();
    }

    /** The headline as a paragraph and the table with a header row, every value escaped. */
    public static String html(Report r) {
        StringBuilder sb = new StringBuilder();
        if (r.headline() != null) {
            sb.append("<p class=\"jneuron-headline\">").append(escape(r.headline())).append("</p>\n");
        }
        Table t = r.table();
        if (t != null && !t.rows().isEmpty()) {
            sb.append("<table class=\"").append(TABLE_CLASS).append("\">\n<thead>\n<tr>");
            for (Table.Column c : t.columns()) {
                sb.append("<th>").append(escape(c.header())).append("</th>");
            }
            sb.append("</tr>\n</thead>\n<tbody>\n");
            for (List<Object> row : t.rows()) {
                sb.append("<tr>");
                for (Object v : row) {
                    sb.append("<td>").append(escape(Table.cell(v))).append("</td>");
                }
                sb.append("</tr>\n");
            }
            sb.append("</tbody>\n</table>\n");
        }
        return sb.toString();
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
}
