package io.jneuron.core.cache;

import java.nio.file.Path;

/**
 * A snapshot of one {@code MODULE_<key>[+<flags hash>]} folder. The folder may change right after the
 * snapshot is taken (another process compiling); take a new one with {@link CompileCache#module}.
 *
 * @param path the folder (it may not exist yet)
 * @param key the graph key or, for traced models, the entry hash
 * @param flagsHash the 8-hex flags hash, or null for traced {@code MODULE_<hash>} folders
 * @param state the classification at snapshot time
 * @param lock the lock, or null when the folder has none
 * @param bytes total size of the folder's files
 */
public record ModuleDir(Path path, String key, String flagsHash, ModuleState state, LockInfo lock, long bytes) {

    public String name() {
        return path.getFileName().toString();
    }

    /** The compiler log a failed compile left, when there is one. */
    public Path log() {
        return path.resolve("model.log");
    }
}
