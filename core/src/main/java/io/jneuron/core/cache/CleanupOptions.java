package io.jneuron.core.cache;

import java.util.Map;

/**
 * What {@code cache cleanup} removes (spec §4.3). By default: failed modules, stale locks and the leftovers of
 * killed compiles.
 *
 * @param all also empty modules
 * @param oldVersions also whole compiler folders that are not current
 * @param wipe every compiler folder (the rest of the root folder is left alone)
 * @param dryRun report, delete nothing
 * @param currentVersions compiler name -> current version prefix (see {@link OptimumCompat#CURRENT_RULE})
 */
public record CleanupOptions(boolean all, boolean oldVersions, boolean wipe, boolean dryRun,
        Map<String, String> currentVersions) {
    public CleanupOptions {
        currentVersions = Map.copyOf(currentVersions);
    }

    public static CleanupOptions defaults() {
        return new CleanupOptions(false, false, false, false, Map.of());
    }
}
