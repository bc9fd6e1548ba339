package io.jneuron.core.report;

/**
 * What a service returns, ready to show: a one-line headline, one {@link Table}, and the JSON document of the
 * command-line contract ({@code docs/cli.md}). The CLI, the magics and a JShell cell all render a result through
 * {@link Render}, so a verb looks the same everywhere. Implementations are immutable records.
 */
public interface Report {
    /** A one-line summary (several lines for generated text), or null. */
    String headline();

    /** The result as a table, or null when the headline says it all. */
    Table table();

    /** The {@code --format json} document: maps, lists, strings, numbers, booleans and nulls for {@code PyJson}. */
    Object json();

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
