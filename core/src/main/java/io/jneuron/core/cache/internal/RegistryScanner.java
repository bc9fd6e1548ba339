package io.jneuron.core.cache.internal;

import io.jneuron.core.files.AtomicFiles;
import io.jneuron.core.cache.CacheException;
import io.jneuron.core.cache.CompilerId;
import io.jneuron.core.cache.EntryRecipe;
import io.jneuron.core.cache.OptimumCompat;
import io.jneuron.core.cache.RegistryEntry;
import io.jneuron.core.cache.RegistryLayout;
import io.jneuron.core.cache.RegistryProblem;
import io.jneuron.core.cache.RegistrySource;
import io.jneuron.core.cache.StoredEntry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Walks the registries of a {@link RegistrySource}: {@code <compiler folder>/0_REGISTRY/<version>/...}.
 * Anything unreadable, oversized, malformed or unsafe becomes a {@link RegistryProblem}; nothing aborts the walk.
 */
public record RegistryScanner(RegistrySource source) {
    public static final String REGISTRY = "0_REGISTRY";
    /** The deepest layout has 5 levels below the version folder (mode/model_type/org/name/file). */
    private static final int MAX_DEPTH = 5;

    /** One {@code 0_REGISTRY/<version>} folder. */
    public record Folder(CompilerId compiler, String version, String path) {
    }

    /** Receives what a walk finds: each entry with its bytes, and each problem. */
    public record Visitor(BiConsumer<StoredEntry, byte[]> entries, Consumer<RegistryProblem> problems) {
    }

    /** Every registry version folder under every compiler folder. */
    public List<Folder> folders(Visitor v) {
        List<Folder> out = new ArrayList<>();
        for (RegistrySource.Item top : list("", v)) {
            Optional<CompilerId> id = CompilerId.parse(top.name());
            if (!top.folder() || id.isEmpty()) {
                continue;
            }
            for (RegistrySource.Item ver : list(top.path() + "/" + REGISTRY, v)) {
                if (ver.refusal() != null) {
                    v.problems().accept(new RegistryProblem(ver.path(), ver.refusal()));
                } else if (ver.folder()) {
                    out.add(new Folder(id.get(), ver.name(), ver.path()));
                }
            }
        }
        return out;
    }

    /** Visits the entries under {@code folder/sub} ("" for all of it), at most {@code depth} levels down. */
    public void walk(Folder folder, String sub, int depth, Visitor v) {
        walkPath(folder, sub.isEmpty() ? folder.path() : folder.path() + "/" + sub, Math.min(depth, MAX_DEPTH), v);
    }

    private void walkPath(Folder folder, String path, int depth, Visitor v) {
        for (RegistrySource.Item item : list(path, v)) {
            if (item.refusal() != null) {
                v.problems().accept(new RegistryProblem(item.path(), item.refusal()));
            } else if (item.folder()) {
                if (depth > 1) {
                    walkPath(folder, item.path(), depth - 1, v);
                } else {
                    v.problems().accept(new RegistryProblem(item.path(), "deeper than any registry layout; not searched"));
                }
            } else if (item.name().endsWith(".json") && !item.name().startsWith(AtomicFiles.TEMP_PREFIX)) {
                load(folder, item, v);
            }
        }
    }

    private void load(Folder folder, RegistrySource.Item item, Visitor v) {
        List<String> segments = Arrays.asList(item.path().substring(folder.path().length() + 1).split("/"));
        Optional<RegistryLayout> layout = RegistryLayout.of(segments);
        if (layout.isEmpty()) {
            v.problems().accept(new RegistryProblem(item.path(), "not where any optimum-neuron version puts entries; skipped"));
            return;
        }
        if (item.size() > OptimumCompat.MAX_ENTRY_BYTES) {
            v.problems().accept(new RegistryProblem(item.path(), item.size() + " bytes is larger than any registry entry ("
                    + OptimumCompat.MAX_ENTRY_BYTES + "); skipped"));
            return;
        }
        try {
            byte[] bytes = source.read(item.path(), OptimumCompat.MAX_ENTRY_BYTES);
            EntryRecipe recipe = EntryRecipe.forVersion(folder.version()).orElse(EntryRecipe.V0_2);
            RegistryEntry entry = RegistryEntry.parse(bytes, recipe, item.path());
            v.entries().accept(new StoredEntry(source.name(), item.path(), folder.compiler(), folder.version(), layout.get(), entry),
                    bytes);
        } catch (CacheException e) {
            String why = e.getMessage();
            v.problems().accept(new RegistryProblem(item.path(), why.startsWith(item.path() + ": ")
                    ? why.substring(item.path().length() + 2) : why));
        }
    }

    /**
     * The children of {@code path}, each re-checked here: a source (a Hub listing above all) is untrusted, so an item
     * that is not a plain child name of {@code path} becomes a refusal and is never read.
     */
    private List<RegistrySource.Item> list(String path, Visitor v) {
        List<RegistrySource.Item> items;
        try {
            items = source.list(path);
        } catch (CacheException e) {
            v.problems().accept(new RegistryProblem(path, e.getMessage()));
            return List.of();
        }
        List<RegistrySource.Item> checked = new ArrayList<>(items.size());
        String prefix = path.isEmpty() ? "" : path + "/";
        for (RegistrySource.Item item : items) {
            String name = item.path().startsWith(prefix) ? item.path().substring(prefix.length()) : null;
            Optional<String> why = name == null || name.isEmpty() || name.contains("/")
                    ? Optional.of("not a child of " + (path.isEmpty() ? "the root" : path))
                    : SafePaths.refusal(item.path());
            checked.add(why.isPresent() && item.refusal() == null
                    ? new RegistrySource.Item(item.path(), item.folder(), item.size(), why.get()) : item);
        }
        return checked;
    }
}
