package io.jneuron.core.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How an optimum-neuron version serialises and hashes a registry entry (spec §2.3, all [SRC]). The file
 * holds exactly the serialisation, and the entry hash is the first 20 hex of its SHA-512.
 */
public enum EntryRecipe {
    /** v0.0.18-v0.0.20: {@code json.dumps(config)}, insertion order. */
    V0_0_18(PyJson.Style.COMPACT),
    /** v0.0.21-v0.1.x: {@code json.dumps(config, sort_keys=True)}. */
    V0_0_21(PyJson.Style.COMPACT_SORTED),
    /** v0.2.0 and later: {@code json.dumps(entry, indent=2, sort_keys=True)} with the {@code _} keys. */
    V0_2(PyJson.Style.INDENT2_SORTED);

    private final PyJson.Style style;

    EntryRecipe(PyJson.Style style) {
        this.style = style;
    }

    public PyJson.Style style() {
        return style;
    }

    /** True for the recipes whose entries carry {@code _entry_class}, {@code _model_id} and {@code _task}. */
    public boolean hasBookkeepingKeys() {
        return this == V0_2;
    }

    /** The recipe of the registry folder {@code 0_REGISTRY/<version>}, or empty when the version does not parse. */
    public static Optional<EntryRecipe> forVersion(String optimumNeuronVersion) {
        return Optional.ofNullable(parseVersion(optimumNeuronVersion)).map(v -> compare(v, new int[] {0, 0, 21}) < 0
                ? V0_0_18 : compare(v, new int[] {0, 2, 0}) < 0 ? V0_0_21 : V0_2);
    }

    /**
     * The leading numeric release of a PEP 440 version ({@code 0.4.6.dev4} -> 0,4,6), or null if it has none.
     * Pre-release suffixes are ignored: a 0.2.0.dev build already used the 0.2.0 recipe.
     */
    static int[] parseVersion(String version) {
        if (version == null || !version.matches("\\d+(\\.\\d+)*([.+-]?[A-Za-z][\\w.+-]*)?")) {
            return null;
        }
        List<Integer> parts = new ArrayList<>();
        for (String p : version.split("\\.")) {
            if (!p.matches("\\d+")) {
                String lead = p.replaceFirst("^(\\d*).*$", "$1");
                if (!lead.isEmpty() && lead.length() <= 9) {
                    parts.add(Integer.parseInt(lead));
                }
                break;
            }
            if (p.length() > 9) {
                return null;
            }
            parts.add(Integer.parseInt(p));
        }
        return parts.stream().mapToInt(Integer::intValue).toArray();
    }

    static int compare(int[] a, int[] b) {
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            int x = i < a.length ? a[i] : 0;
            int y = i < b.length ? b[i] : 0;
            if (x != y) {
                return Integer.compare(x, y);
            }
        }
        return 0;
    }
}
