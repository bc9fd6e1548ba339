package io.jneuron.magics.render;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.html.HtmlWriteOptions;
import tech.tablesaw.io.html.HtmlWriter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds Tablesaw tables of strings and renders them as an HTML table plus a text/plain twin. All text
 * is HTML-escaped: registry values come from files anyone may have written.
 */
public final class Tables {
    /** CSS class on every table the magics render; the notebook tests look for it. */
    public static final String CSS_CLASS = "jneuron-table";

    private Tables() {
    }

    /** A table named {@code name} with {@code headers} and string rows (null cells shown as "-"). */
    public static Table of(String name, List<String> headers, List<List<String>> rows) {
        List<StringColumn> cols = new ArrayList<>();
        for (int c = 0; c < headers.size(); c++) {
            StringColumn col = StringColumn.create(headers.get(c));
            for (List<String> r : rows) {
                String v = r.get(c);
                col.append(v == null ? "-" : v);
            }
            cols.add(col);
        }
        return Table.create(name, cols.toArray(new StringColumn[0]));
    }

    /** Two columns, property and value: for one result object. */
    public static Table properties(String name, List<List<String>> pairs) {
        return of(name, List.of("property", "value"), pairs);
    }

    public static String html(Table t) {
        StringWriter w = new StringWriter();
        try {
            new HtmlWriter().write(t, HtmlWriteOptions.builder(w).escapeText(true).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString().replaceFirst("<table", "<table class=\"" + CSS_CLASS + "\"");
    }

    public static String text(Table t) {
        return t.rowCount() == 0 ? t.name() + "\n(no rows)" : t.printAll();
    }

    /** One display bundle: an escaped headline, then each table. */
    public static DisplayData display(String headline, Table... tables) {
        StringBuilder html = new StringBuilder();
        StringBuilder text = new StringBuilder();
        if (headline != null) {
            html.append("<p class=\"jneuron-headline\">").append(Html.escape(headline)).append("</p>\n");
            text.append(headline).append('\n');
        }
        for (Table t : tables) {
            html.append(html(t)).append('\n');
            text.append(text(t)).append('\n');
        }
        DisplayData d = new DisplayData(text.toString().stripTrailing());
        d.putHTML(html.toString());
        return d;
    }
}
