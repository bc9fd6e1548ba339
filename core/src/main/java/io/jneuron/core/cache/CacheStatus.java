package io.jneuron.core.cache;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Sizes and module states of a compile cache, per compiler folder (spec §4.3 {@code status}).
 *
 * @param root the cache root
 * @param totalBytes every file under the compiler folders
 * @param compilers one summary per compiler folder, sorted by folder name
 * @param oldVersionBytes bytes in folders that are not current ({@code cleanup --old-versions} frees them)
 * @param clearCommand the command that clears stale locks and failed entries
 */
public record CacheStatus(Path root, long totalBytes, List<Compiler> compilers, long oldVersionBytes,
        String clearCommand) {

    public CacheStatus {
        compilers = List.copyOf(compilers);
    }

    /**
     * One compiler folder.
     *
     * @param counts modules per state (every state present, zero when none)
     * @param stateBytes bytes per state
     * @param staleLocks modules whose lock outlived its process
     * @param registryEntries files under its {@code 0_REGISTRY}
     */
    public record Compiler(CompilerId compiler, boolean current, long bytes, Map<ModuleState, Long> counts,
            Map<ModuleState, Long> stateBytes, List<ModuleDir> staleLocks, long registryEntries) {
        public Compiler {
            counts = Map.copyOf(counts);
            stateBytes = Map.copyOf(stateBytes);
            staleLocks = List.copyOf(staleLocks);
        }
    }

    /** optimum's size format: B, KB, MB, GB with one decimal (spec §4.3). */
    public static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
