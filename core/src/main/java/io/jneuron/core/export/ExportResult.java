package io.jneuron.core.export;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What an export did: where the model is, which backend compiled it, whether the compile cache had it
 * ({@link #HIT_LOCAL}, {@link #HIT_HUB}) or it was compiled ({@link #MISS}), the registry entry, the
 * artifacts in the output folder, and stage timings in milliseconds.
 */
public record ExportResult(ExportedModel exported, String cache, String entry, Path entryFile, Path module,
                           List<String> artifacts, MemoryPlan memory, Map<String, Double> timingsMs) {
    public static final String HIT_LOCAL = "hit-local";
    public static final String HIT_HUB = "hit-hub";
    public static final String MISS = "miss";
}
