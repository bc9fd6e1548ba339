package io.jneuron.core.cache.internal;

import io.jneuron.core.files.AtomicFiles;
import io.jneuron.core.cache.LockInfo;
import io.jneuron.core.cache.ModuleDir;
import io.jneuron.core.cache.ModuleState;
import io.jneuron.core.cache.OptimumCompat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Classifies a MODULE folder by the files in it (spec §4.2), without following symlinks; a linked folder is corrupt. */
public final class ModuleInspector {
    public static final String DONE = "model.done";
    public static final String LOG = "model.log";
    public static final String FLAGS = "compile_flags.json";

    private ModuleInspector() {
    }

    /**
     * @param neuronxcc true in a {@code neuronxcc-} folder, where success also needs {@code model.neff}
     */
    public static ModuleDir inspect(Path dir, boolean neuronxcc) {
        String name = dir.getFileName().toString();
        String body = name.startsWith("MODULE_") ? name.substring(7) : name;
        int plus = body.indexOf('+');
        String key = plus < 0 ? body : body.substring(0, plus);
        String flagsHash = plus < 0 ? null : body.substring(plus + 1);
        if (Files.isSymbolicLink(dir)) {
            return new ModuleDir(dir, key, flagsHash, ModuleState.CORRUPT, null, 0); // never followed out of the cache
        }
        List<String> files = list(dir);
        LockInfo lock = null;
        for (String f : files) {
            if (f.endsWith(".lock")) {
                Optional<LockInfo> info = ModuleLock.inspect(dir.resolve(f));
                // Prefer a live lock over a stale one when a folder has several.
                if (info.isPresent() && (lock == null || lock.stale())) {
                    lock = info.get();
                }
            }
        }
        boolean done = files.contains(DONE);
        boolean neff = files.contains(OptimumCompat.NEFF);
        boolean log = files.contains(LOG);
        boolean artifacts = files.stream().anyMatch(f -> !f.equals(DONE) && !f.equals(FLAGS) && !f.equals(LOG)
                && !f.startsWith(AtomicFiles.TEMP_PREFIX) && !f.endsWith(".lock"));
        ModuleState state;
        if (done && !(log && !neff)
                && (!artifacts || (neuronxcc && flagsHash != null && !neff) || ModuleDigests.missing(dir).isPresent())) {
            state = ModuleState.CORRUPT; // complete by its marker, but what it recorded is gone
        } else if (flagsHash == null) {
            // Traced MODULE_<entry hash> folders are copies of an export folder with no model.done (spec §1.4).
            boolean content = files.stream().anyMatch(f -> !f.startsWith(AtomicFiles.TEMP_PREFIX) && !f.endsWith(".lock"));
            state = done ? ModuleState.SUCCESS : log ? ModuleState.FAILED : lock != null ? ModuleState.LOCKED
                    : content ? ModuleState.SUCCESS : ModuleState.EMPTY;
        } else if (done && (neff || !neuronxcc)) {
            state = ModuleState.SUCCESS;
        } else if (log && !neff) {
            state = ModuleState.FAILED;
        } else if (lock != null) {
            state = ModuleState.LOCKED;
        } else {
            state = ModuleState.EMPTY;
        }
        return new ModuleDir(dir, key, flagsHash, state, lock, Files.isDirectory(dir) ? AtomicFiles.size(dir) : 0);
    }

    /** Top-level names in {@code dir}, or none if it does not exist. */
    public static List<String> list(Path dir) {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return names;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                names.add(p.getFileName().toString());
            }
        } catch (IOException e) {
            return names; // vanished or unreadable folder: classified EMPTY, and status shows its size as 0
        }
        return names;
    }
}
