package io.jneuron.core.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The table model every result renders through: named columns of a {@link Kind}, and rows of cells. A cell is a
 * {@code String}, a {@code Number} or {@code null} (shown as "-"); numbers that need a fixed precision are given as
 * strings by the result that builds the table. Immutable; {@link Render} turns it into text or HTML.
 */
public record Table(List<Column> columns, List<List<Object>> rows) implements Report {
    /** How a column's cells are laid out: text and paths left-aligned, numbers right-aligned. */
    public enum Kind { TEXT, NUMBER, PATH }

    /** One column: its header and kind. */
    public record Column(String header, Kind kind) {
        public Column {
            Objects.requireNonNull(header, "header");
            Objects.requireNonNull(kind, "kind");
        }

        public static Column text(String header) {
            return new Column(header, Kind.TEXT);
        }

        public static Column number(String header) {
            return new Column(header, Kind.NUMBER);
        }

        public static Column path(String header) {
            return new Column(header, Kind.PATH);
        }
    }

    public Table {
        columns = List.copyOf(columns);
        List<List<Object>> copy = new ArrayList<>();
        for (List<Object> r : rows) {
            if (r.size() != columns.size()) {
                throw new IllegalArgumentException("row " + r + " has " + r.size() + " cells for " + columns.size()
                        + " columns " + columns.stream().map(Column::header).toList());
            }
            copy.add(Collections.unmodifiableList(new ArrayList<>(r)));
        }
        rows = List.copyOf(copy);
    }

    /** A table of text columns named {@code headers}, for notebook cells that build their own tables. */
    public static Table of(List<String> headers, List<? extends List<?>> rows) {
        return builder(headers.stream().map(Column::text).toArray(Column[]::new)).rows(rows).build();
    }

    /** Two text columns, property and value: one result object shown as a table. */
    public static Table properties(List<? extends List<?>> pairs) {
        return of(List.of("property", "value"), pairs);
    }

    public static Builder builder(Column... columns) {
        return new Builder(List.of(columns));
    }

    public List<String> headers() {
        return columns.stream().map(Column::header).toList();
    }

    /** The cell as it is shown: "-" for null. */
    public static String cell(Object v) {
        return v == null ? "-" : v.toString();
    }

    @Override
    public String headline() {
        return null;
    }

    @Override
    public Table table() {
        return this;
    }

    /** One object per row, keyed by header. */
    @Override
    public Object json() {
        List<Object> out = new ArrayList<>();
        for (List<Object> r : rows) {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                m.put(columns.get(i).header(), r.get(i));
            }
            out.add(m);
        }
        return out;
    }

    @Override
    public String toString() {
        return Render.text(this);
    }

    /** Collects rows for a fixed list of columns. Not thread-safe. */
    public static final class Builder {
        private final List<Column> columns;
        private final List<List<Object>> rows = new ArrayList<>();

        private Builder(List<Column> columns) {
            this.columns = columns;
        }

        public Builder row(Object... cells) {
            rows.add(Arrays.asList(cells));
            return this;
        }

        public Builder rows(List<? extends List<?>> more) {
            more.forEach(r -> rows.add(new ArrayList<>(r)));
            return this;
        }

        public Table build() {
            return new Table(columns, rows);
        }
    }
}
