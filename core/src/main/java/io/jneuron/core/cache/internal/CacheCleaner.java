package io.jneuron.core.cache.internal;

import io.jneuron.core.files.AtomicFiles;
import io.jneuron.core.cache.CacheException;
import io.jneuron.core.cache.CacheRoot;
import io.jneuron.core.cache.CleanupOptions;
import io.jneuron.core.cache.CleanupReport;
import io.jneuron.core.cache.CompilerId;
import io.jneuron.core.cache.ModuleDir;
import io.jneuron.core.cache.ModuleState;
import io.jneuron.core.cache.OptimumCompat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code cache cleanup}: failed modules, stale locks and killed compiles' leftovers by default; empty modules with
 * {@code all}; non-current compiler folders with {@code oldVersions}; every compiler folder with {@code wipe}.
 * Refuses to touch anything while a compile runs. Deletes never follow symlinks.
 */
public final class CacheCleaner {
    private final CacheRoot root;
    private final List<CleanupReport.Removal> removals = new ArrayList<>();

    public CacheCleaner(CacheRoot root) {
        this.root = root;
    }

    public CleanupReport run(CleanupOptions o) {
        refuseWhileCompiling();
        for (CompilerId id : root.compilers()) {
            Path folder = root.path().resolve(id.folderName());
            if (o.wipe()) {
                remove(folder, "--wipe");
                continue;
            }
            if (o.oldVersions() && !root.isCurrent(id, o.currentVersions())) {
                remove(folder, "old compiler version (--old-versions)");
                continue;
            }
            for (ModuleDir m : root.compileCache(id).modules()) {
                module(m, o);
            }
            staleTemps(folder.resolve(RegistryScanner.REGISTRY));
        }
        long freed = removals.stream().mapToLong(CleanupReport.Removal::bytes).sum();
        if (!o.dryRun()) {
            for (CleanupReport.Removal r : removals) {
                try {
                    AtomicFiles.deleteTree(r.path());
                } catch (IOException e) {
                    throw new CacheException("cannot remove " + r.path() + ": " + e.getMessage()
                            + "; check its permissions (the cache may belong to another user)", e);
                }
            }
        }
        return new CleanupReport(o.dryRun(), removals, freed);
    }

    private void module(ModuleDir m, CleanupOptions o) {
        boolean staleLock = m.lock() != null && m.lock().stale();
        boolean ours = staleLock && OptimumCompat.LOCK_OWNER.equals(m.lock().owner());
        if (m.state() == ModuleState.FAILED) {
            remove(m.path(), "failed compile (model.log, no neff)");
        } else if (m.state() == ModuleState.CORRUPT) {
            remove(m.path(), "corrupt module (an artifact missing or changed since its compile, or a link)");
        } else if (staleLock && ours && m.state() != ModuleState.SUCCESS) {
            remove(m.path(), "killed compile: stale lock of " + m.lock().describe());
        } else if (staleLock) {
            for (String f : ModuleInspector.list(m.path())) {
                if (f.endsWith(".lock") || f.startsWith(AtomicFiles.TEMP_PREFIX)) {
                    remove(m.path().resolve(f), "stale lock of " + m.lock().describe());
                }
            }
        } else if (m.state() == ModuleState.EMPTY && o.all()) {
            remove(m.path(), "empty module (--all)");
        } else if (m.lock() == null) {
            staleTemps(m.path());
        }
    }

    /** Our temp files and folders that no running writer can own any more. */
    private void staleTemps(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        Instant cutoff = Instant.now().minus(OptimumCompat.STALE_TEMP_AGE);
        try (Stream<Path> s = Files.walk(dir, 6)) {
            s.filter(p -> p.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX)).forEach(p -> {
                try {
                    if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                        remove(p, "temp file of an interrupted write");
                    }
                } catch (IOException e) {
                    // vanished: its writer finished
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            // a folder vanished under us; what remains is found next time
        }
    }

    private void refuseWhileCompiling() {
        for (CompilerId id : root.compilers()) {
            for (ModuleDir m : root.compileCache(id).modules()) {
                if (m.lock() != null && !m.lock().stale()) {
                    throw new CacheException("a compile is running: " + id.folderName() + "/" + m.name() + " is locked by "
                            + m.lock().describe() + "; cleanup refuses to run now, wait for it to finish or stop it");
                }
            }
        }
        if (ProcessProbe.anyProcessNamed(OptimumCompat.NEURON_COMPILER_PROCESS)) {
            throw new CacheException("a " + OptimumCompat.NEURON_COMPILER_PROCESS + " process is running; cleanup "
                    + "refuses to run now, wait for it to finish");
        }
    }

    private void remove(Path p, String reason) {
        removals.add(new CleanupReport.Removal(p, reason, AtomicFiles.size(p)));
    }
}
