package io.jneuron.core.cache;

import io.jneuron.core.files.AtomicFiles;
import io.jneuron.core.cache.internal.ModuleInspector;
import io.jneuron.core.cache.internal.RegistryScanner;
import io.jneuron.core.cache.internal.SafePaths;
import io.jneuron.core.hub.CommitOperation;
import io.jneuron.core.hub.HubClient;
import io.jneuron.core.hub.HubException;
import io.jneuron.core.hub.TreeEntry;
import io.jneuron.core.hub.internal.Hashing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code cache synchronize} (spec §3.4): uploads the local compile cache to a Hub cache repo, with the Hub tree
 * mirroring the local one. Unlike optimum's whole-folder upload it sends only what another machine can use:
 * complete ({@link ModuleState#SUCCESS}) MODULE folders and registry files; never locks, temp files, failed,
 * locked or empty modules, nor anything whose link leads out of the cache (aliases inside it are sent as copies,
 * as on the Hub).
 *
 * <p>Resumable and idempotent: files the repo already holds with the same content (git blob id or LFS sha256) are
 * not sent again, and commits go in batches with each module's {@code model.done} after its other files and the
 * registry after the modules, so an interrupted run leaves nothing that looks complete but is not. Two hosts may
 * sync at once: each commit is built on the head it read and retried on a conflict ({@link HubClient#commit} with
 * no parent). Stateless.
 */
public final class CacheSync {
    public static final String COMMIT_MESSAGE = "Synchronizing local compiler cache.";
    /** CHOICE: files per commit; bounds a commit's size and what an interruption loses. */
    static final int BATCH = 200;

    /** A local file left out, and why. */
    public record Skip(String path, String reason) {
    }

    /**
     * @param uploaded  repo paths sent, in commit order
     * @param unchanged files the repo already held with the same content
     * @param skipped   what was left out
     * @param commits   the commits made (none when nothing changed)
     */
    public record Report(String repo, Path root, List<String> uploaded, int unchanged, List<Skip> skipped,
                         List<String> commits) {
    }

    private CacheSync() {
    }

    public static Report synchronize(Path cacheRoot, HubClient client, String repo) {
        Path root = cacheRoot.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new CacheException("cache folder " + root + " does not exist; pass the compile cache with --cache_dir");
        }
        try {
            client.repoInfo(repo, null);
        } catch (HubException e) {
            throw new CacheException("cannot synchronize to " + repo + ": " + e.getMessage() + " (create it with `jneuron "
                    + "cache create`, or check the name and your token)", e);
        }
        Path realRoot = SafePaths.real(root);
        List<Skip> skipped = new ArrayList<>();
        Map<String, Path> modules = new LinkedHashMap<>();
        Map<String, Path> registry = new LinkedHashMap<>();
        for (String top : sorted(ModuleInspector.list(root))) {
            Path dir = root.resolve(top);
            if (CompilerId.parse(top).isEmpty() || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                continue; // not a compile cache folder: not ours to publish
            }
            boolean neuronxcc = CompilerId.parse(top).get().isNeuronxcc();
            for (String name : sorted(ModuleInspector.list(dir))) {
                Path child = dir.resolve(name);
                if (name.equals(RegistryScanner.REGISTRY)) {
                    collect(realRoot, root, child, registry, skipped);
                } else if (name.startsWith("MODULE_") && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                    ModuleState state = ModuleInspector.inspect(child, neuronxcc).state();
                    if (state != ModuleState.SUCCESS) {
                        skipped.add(new Skip(top + "/" + name, state.label() + " module"));
                        continue;
                    }
                    Map<String, Path> files = new TreeMap<>();
                    collect(realRoot, root, child, files, skipped);
                    Path done = files.remove(top + "/" + name + "/" + ModuleInspector.DONE);
                    modules.putAll(files);
                    if (done != null) {
                        modules.put(top + "/" + name + "/" + ModuleInspector.DONE, done); // last: marks it complete
                    }
                }
            }
        }
        Map<String, TreeEntry> remote = remote(client, repo, modules, registry);
        List<CommitOperation> ops = new ArrayList<>();
        int unchanged = 0;
        for (Map<String, Path> part : List.of(modules, registry)) {
            for (Map.Entry<String, Path> f : part.entrySet()) {
                if (same(f.getValue(), remote.get(f.getKey()))) {
                    unchanged++;
                } else {
                    ops.add(CommitOperation.add(f.getKey(), f.getValue()));
                }
            }
        }
        List<String> commits = new ArrayList<>();
        for (int i = 0; i < ops.size(); i += BATCH) {
            commits.add(client.commit(repo, ops.subList(i, Math.min(ops.size(), i + BATCH)), COMMIT_MESSAGE, null).oid());
        }
        return new Report(repo, root, ops.stream().map(CommitOperation::pathInRepo).toList(), unchanged, skipped, commits);
    }

    /** Every file under {@code dir} that may be published, keyed by its repo path; the rest goes to {@code skipped}. */
    private static void collect(Path realRoot, Path root, Path dir, Map<String, Path> out, List<Skip> skipped) {
        for (String name : sorted(ModuleInspector.list(dir))) {
            Path p = dir.resolve(name);
            String rel = root.relativize(p).toString().replace('\\', '/');
            if (name.endsWith(".lock") || name.startsWith(AtomicFiles.TEMP_PREFIX)) {
                skipped.add(new Skip(rel, name.endsWith(".lock") ? "lock file" : "temp file"));
                continue;
            }
            Optional<String> why = SafePaths.refusal(rel).or(() -> SafePaths.outside(realRoot, p));
            if (why.isPresent()) {
                skipped.add(new Skip(rel, why.get()));
            } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                collect(realRoot, root, p, out, skipped);
            } else if (Files.isRegularFile(p)) {
                out.put(rel, p);
            } else {
                skipped.add(new Skip(rel, Files.isDirectory(p) ? "symlinked folder, not followed" : "not a regular file"));
            }
        }
    }

    /** What the repo holds under the compiler folders we are about to send to; one recursive listing per folder. */
    private static Map<String, TreeEntry> remote(HubClient client, String repo, Map<String, Path> a, Map<String, Path> b) {
        Map<String, TreeEntry> out = new HashMap<>();
        for (String top : Stream.concat(a.keySet().stream(), b.keySet().stream()).map(k -> k.substring(0, k.indexOf('/')))
                .collect(Collectors.toCollection(TreeSet::new))) {
            try {
                client.listTree(repo, top, true).forEach(e -> out.put(e.path(), e));
            } catch (HubException e) {
                if (e.kind() != HubException.Kind.ENTRY_NOT_FOUND) {
                    throw e;
                }
            }
        }
        return out;
    }

    /** Whether the repo's file has the local content: size first, then the id the Hub gives (LFS sha256 or git blob). */
    private static boolean same(Path local, TreeEntry remote) {
        try {
            if (remote == null || remote.directory() || Files.size(local) != remote.size()) {
                return false;
            }
        } catch (IOException e) {
            throw new CacheException("cannot read " + local + ": " + e.getMessage(), e);
        }
        return remote.isLfs() ? Hashing.sha256(local).equals(remote.lfsSha256())
                : remote.oid() != null && Hashing.gitBlobId(local).equals(remote.oid());
    }

    private static List<String> sorted(List<String> names) {
        return names.stream().sorted().toList();
    }
}
