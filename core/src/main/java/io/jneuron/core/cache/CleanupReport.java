package io.jneuron.core.cache;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code cache cleanup} removed (or, with {@code dryRun}, would remove).
 *
 * @param removed every path removed, with why
 * @param freedBytes their total size
 */
public record CleanupReport(boolean dryRun, List<Removal> removed, long freedBytes) {
    public CleanupReport {
        removed = List.copyOf(removed);
    }

    /** One removed path. */
    public record Removal(Path path, String reason, long bytes) {
    }
}
