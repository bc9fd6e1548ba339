package io.jneuron.magics.render;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import io.jneuron.core.report.TableLayout;

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
        List<List<String>> rows = rows(t);
        return TableLayout.html(CSS_CLASS, t.columnNames(), rows, TableLayout.numericColumns(t.columnCount(), rows));
    }

    /** Compact text, at most {@link TableLayout#MAX_WIDTH} characters a line (long cells elided; HTML has them whole). */
    public static String text(Table t) {
        if (t.rowCount() == 0) {
            return t.name() + "\n(no rows)";
        }
        List<List<String>> rows = rows(t);
        return TableLayout.text(t.columnNames(), rows, TableLayout.numericColumns(t.columnCount(), rows),
                TableLayout.MAX_WIDTH);
    }

    private static List<List<String>> rows(Table t) {
        List<List<String>> rows = new ArrayList<>();
        for (int r = 0; r < t.rowCount(); r++) {
            List<String> row = new ArrayList<>();
            for (int c = 0; c < t.columnCount(); c++) {
                row.add(t.getString(r, c));
            }
            rows.add(row);
        }
        return rows;
    }

    /** One display bundle: an escaped headline, then each table. */
    public static DisplayData display(String headline, Table... tables) {
        StringBuilder html = new StringBuilder();
        StringBuilder text = new StringBuilder();
        if (headline != null) {
            html.append("<p class=\"jneuron-headline\">").append(Html.escape(headline)).append("</p>\n");
            text.append(TableLayout.wrap(headline, TableLayout.MAX_WIDTH)).append('\n');
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
