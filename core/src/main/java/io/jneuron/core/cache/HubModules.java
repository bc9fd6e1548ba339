package io.jneuron.core.cache;

import io.jneuron.core.files.AtomicFiles;
import io.jneuron.core.cache.internal.ModuleInspector;
import io.jneuron.core.cache.internal.SafePaths;
import io.jneuron.core.hub.HubClient;
import io.jneuron.core.hub.TreeEntry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reuses a traced module ({@code MODULE_<entry hash>}) that another machine compiled and synchronized to a Hub
 * cache repo (spec §3.7, traced models). The Hub copy counts only when it holds {@code model.done}, which
 * {@code synchronize} uploads last; its files are downloaded (size and hash checked) into the Hub cache first and
 * only then copied into the local module through {@link CompileCache#compileOnce}, so the local cache keeps its
 * lock, its atomic layout and its {@code model.done}-last rule, and a network failure can never leave a module
 * marked failed. Never uploads. Stateless.
 */
public final class HubModules {
    private HubModules() {
    }

    /**
     * The local module for {@code entryHash}, filled from {@code repo} when the Hub has it complete; empty when it
     * does not (compile locally then). {@link CompileOutcome#compiled()} is true when this call copied the files
     * in, false when the module turned out to be in the local cache already (another process got there first).
     *
     * @throws io.jneuron.core.hub.HubException when the repo cannot be read; callers fall back to compiling
     */
    public static Optional<CompileOutcome> fetch(HubClient client, String repo, CompileCache cache, String entryHash) {
        String folder = cache.compiler().folderName() + "/" + CompileCache.moduleName(entryHash, null);
        if (!client.exists(repo, folder + "/" + ModuleInspector.DONE)) {
            return Optional.empty();
        }
        Map<String, Path> files = new LinkedHashMap<>();
        for (TreeEntry e : client.listTree(repo, folder, true)) {
            String rel = e.path().startsWith(folder + "/") ? e.path().substring(folder.length() + 1) : null;
            if (e.directory() || rel == null || !wanted(rel)) {
                continue;
            }
            files.put(rel, client.download(repo, e.path()));
        }
        if (files.isEmpty()) {
            return Optional.empty(); // a bare model.done is not a module; compile it here
        }
        return Optional.of(cache.compileOnce(entryHash, workDir -> {
            for (Map.Entry<String, Path> f : files.entrySet()) {
                Path target = workDir.resolve(f.getKey());
                AtomicFiles.createDirectories(target.getParent());
                Files.copy(f.getValue(), target); // follows the Hub cache's snapshot link to the verified blob
            }
        }));
    }

    /** Files a module carries; what a sync must never have uploaded (locks, logs, temp files) is not taken. */
    private static boolean wanted(String rel) {
        String name = rel.substring(rel.lastIndexOf('/') + 1);
        return SafePaths.refusal(rel).isEmpty() && !name.equals(ModuleInspector.DONE) && !name.equals(ModuleInspector.LOG)
                && !name.endsWith(".lock") && !name.startsWith(AtomicFiles.TEMP_PREFIX);
    }
}
