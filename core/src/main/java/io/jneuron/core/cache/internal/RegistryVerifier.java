package io.jneuron.core.cache.internal;

import io.jneuron.core.cache.CacheException;
import io.jneuron.core.cache.EntryRecipe;
import io.jneuron.core.cache.RegistryEntry;
import io.jneuron.core.cache.RegistryLayout;
import io.jneuron.core.cache.RegistryProblem;
import io.jneuron.core.cache.StoredEntry;
import io.jneuron.core.cache.VerifyResult;
import io.jneuron.core.hub.internal.Hashing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Re-hashes every registry file with the recipe of its version folder (spec §2.3) and, in the arch-digest
 * layout, recomputes the digest (§2.4). An entry is valid when any faithful reading of it reproduces its
 * name: the bytes as they are, or the parsed content re-serialised with {@code id2label} keys as ints (what
 * transformers holds) or as strings. A corrupt or tampered file matches none of them.
 */
public final class RegistryVerifier {
    private final List<VerifyResult> results = new ArrayList<>();

    public static List<VerifyResult> verify(RegistryScanner scanner) {
        RegistryVerifier v = new RegistryVerifier();
        RegistryScanner.Visitor visitor = new RegistryScanner.Visitor(v::entry, v::problem);
        for (RegistryScanner.Folder f : scanner.folders(visitor)) {
            scanner.walk(f, "", 5, visitor);
        }
        v.results.sort(Comparator.comparing(VerifyResult::path));
        return v.results;
    }

    private void problem(RegistryProblem p) {
        results.add(new VerifyResult(p.path(), false, p.reason()));
    }

    private void entry(StoredEntry e, byte[] bytes) {
        String name = e.fileHash();
        if (!name.matches("[0-9a-f]{20}")) {
            results.add(new VerifyResult(e.path(), false, "file name is not a 20-hex entry hash; not a registry entry"));
            return;
        }
        Optional<EntryRecipe> versionRecipe = EntryRecipe.forVersion(e.registryVersion());
        List<EntryRecipe> recipes = versionRecipe.map(List::of).orElse(List.of(EntryRecipe.values()));
        Map<String, RegistryEntry> readings = readings(e, bytes, recipes);
        String matched = Hashing.hex("SHA-512", bytes).startsWith(name) ? "file bytes" : readings.entrySet().stream()
                .filter(r -> r.getValue().hash().equals(name)).map(Map.Entry::getKey).findFirst().orElse(null);
        if (matched == null) {
            RegistryEntry first = readings.values().iterator().next();
            results.add(new VerifyResult(e.path(), false, "content hashes to " + first.hash() + " with the "
                    + first.recipe() + " recipe of version " + e.registryVersion() + ", not to its name " + name
                    + ": the entry was modified or corrupted; delete it and re-export the model"));
            return;
        }
        if (e.layout() == RegistryLayout.ARCH_DIGEST && !e.entry().isMultiModel()) {
            String folder = e.segments().get(0);
            Optional<String> digest = digests(readings).stream().filter(folder::equals).findFirst();
            if (digest.isEmpty()) {
                results.add(new VerifyResult(e.path(), false, "filed under arch digest " + folder
                        + " but its config gives " + digests(readings).get(0) + "; the entry was moved or edited"));
                return;
            }
        }
        results.add(new VerifyResult(e.path(), true, "hash matches (" + matched + ")"));
    }

    /** Each faithful reading of the file, by a label naming its recipe and key interpretation. */
    private static Map<String, RegistryEntry> readings(StoredEntry e, byte[] bytes, List<EntryRecipe> recipes) {
        Map<String, RegistryEntry> out = new LinkedHashMap<>();
        for (EntryRecipe r : recipes) {
            RegistryEntry ints = RegistryEntry.parse(bytes, r, e.path());
            out.put(r + " recipe", ints);
            if (ConfigDiff.hasIntKeys(ints.asMap())) {
                out.put(r + " recipe, string keys", RegistryEntry.parseVerbatim(bytes, r, e.path()));
            }
        }
        return out;
    }

    private static List<String> digests(Map<String, RegistryEntry> readings) {
        List<String> out = new ArrayList<>();
        for (RegistryEntry r : readings.values()) {
            try {
                out.add(r.archDigest());
            } catch (CacheException ex) {
                out.add("(none: " + ex.getMessage() + ")");
            }
        }
        return out;
    }
}
