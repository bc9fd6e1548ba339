package io.jneuron.core.report;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.cache.PyJson;

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
        TEXT, HTML, JSON;

        public static Format parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "text" -> TEXT;
                case "html" -> HTML;
                case "json" -> JSON;
                default -> throw new NeuronKernelException("--format '" + s + "' is not text, html or json");
            };
        }
    }

    public static String as(Format format, Report r) {
        return switch (format) {
            case TEXT -> text(r);
            case HTML -> html(r).stripTrailing();
            case JSON -> json(r);
        };
    }

    /** {@code json.dumps(doc, indent=2)} of the report's document: one document, no trailing newline. */
    public static String json(Report r) {
        return PyJson.dumps(r.json(), PyJson.Style.INDENT2);
    }

    /** Headline, then the table: columns two spaces apart, numbers right-aligned, no trailing blanks, nothing cut. */
    public static String text(Report r) {
        return text(r, Integer.MAX_VALUE);
    }

    /**
     * As {@link #text(Report)}, with table lines of at most {@code maxWidth} characters (long cells elided, see
     * {@link TableLayout}): the form for a notebook's text/plain, where the HTML form has every value whole.
     */
    public static String text(Report r, int maxWidth) {
        StringBuilder sb = new StringBuilder();
        if (r.headline() != null) {
            sb.append(maxWidth == Integer.MAX_VALUE ? r.headline() : TableLayout.wrap(r.headline(), maxWidth)).append('\n');
        }
        Table t = r.table();
        if (t != null && !t.rows().isEmpty()) {
            sb.append(TableLayout.text(t.headers(), cells(t), numeric(t), maxWidth));
        }
        String out = sb.toString().stripTrailing();
        for (Report section : r.sections()) {
            out += (out.isEmpty() ? "" : "\n\n") + text(section, maxWidth);
        }
        return out;
    }

    /** The headline as a paragraph and the table with a header row, every value escaped (see {@link TableLayout}). */
    public static String html(Report r) {
        StringBuilder sb = new StringBuilder();
        if (r.headline() != null) {
            sb.append("<p class=\"jneuron-headline\">").append(escape(r.headline())).append("</p>\n");
        }
        Table t = r.table();
        if (t != null && !t.rows().isEmpty()) {
            sb.append(TableLayout.html(TABLE_CLASS, t.headers(), cells(t), numeric(t)));
        }
        r.sections().forEach(section -> sb.append(html(section)));
        return sb.toString();
    }

    private static List<List<String>> cells(Table t) {
        return t.rows().stream().map(row -> row.stream().map(Table::cell).toList()).toList();
    }

    private static boolean[] numeric(Table t) {
        boolean[] n = new boolean[t.columns().size()];
        for (int i = 0; i < n.length; i++) {
            n[i] = t.columns().get(i).kind() == Table.Kind.NUMBER;
        }
        return n;
    }

    public static String escape(String s) {
        return TableLayout.escape(s);
    }
}
