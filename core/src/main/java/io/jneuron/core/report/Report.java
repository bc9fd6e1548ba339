package io.jneuron.core.report;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * What a service returns, ready to show: a one-line headline, one {@link Table}, and the JSON document of the
 * command-line contract ({@code docs/cli.md}). The CLI, the magics and a JShell cell all render a result through
 * {@link Render}, so a verb looks the same everywhere. Implementations are immutable records.
 */
public interface Report {
    /** A one-line summary (several lines for generated text), or null. */
    String headline();

    /** The result as a table, or null when the headline says it all. */
    default Table table() {
        return null;
    }

    /** The {@code --format json} document: maps, lists, strings, numbers, booleans and nulls for {@code PyJson}. */
    Object json();

    /** More headlines and tables shown after this one (a similarity matrix, timings); not part of the JSON. */
    default List<Report> sections() {
        return List.of();
    }

    /** An insertion-ordered JSON object from key, value, key, value, ...; null values are kept. */
    static Map<String, Object> fields(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    static List<Object> list(int[] values) {
        return Arrays.stream(values).mapToObj(v -> (Object) v).toList();
    }

    /** Each float as short as it prints (0.1f is 0.1, not its double widening 0.10000000149011612). */
    static List<Object> list(float[] values) {
        return IntStream.range(0, values.length).mapToObj(i -> (Object) Double.parseDouble(Float.toString(values[i])))
                .toList();
    }

    /** A headline over a table, for results built in a notebook cell. */
    static Report of(String headline, Table table) {
        return new Simple(headline, table);
    }

    /** {@link #of}'s result; its JSON is the table's. */
    record Simple(String headline, Table table) implements Report {
        @Override
        public Object json() {
            return table == null ? null : table.json();
        }

        @Override
        public String toString() {
            return Render.text(this);
        }
    }
}
