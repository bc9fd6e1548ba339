package io.jneuron.core.export;

import io.jneuron.core.hub.HubFolders;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What an export did: where the model is, which backend compiled it, whether the compile cache had it
 * ({@link #HIT_LOCAL}, {@link #HIT_HUB}) or it was compiled ({@link #MISS}), the registry entry, the
 * artifacts in the output folder, stage timings in milliseconds, and where the folder was pushed
 * ({@code --push_to_hub}; null when it was not).
 */
public record ExportResult(ExportedModel exported, String cache, String entry, Path entryFile, Path module,
                           List<String> artifacts, MemoryPlan memory, Map<String, Double> timingsMs,
                           HubFolders.Uploaded pushed) {
    public static final String HIT_LOCAL = "hit-local";
    public static final String HIT_HUB = "hit-hub";
    public static final String MISS = "miss";

    public ExportResult(ExportedModel exported, String cache, String entry, Path entryFile, Path module,
                        List<String> artifacts, MemoryPlan memory, Map<String, Double> timingsMs) {
        this(exported, cache, entry, entryFile, module, artifacts, memory, timingsMs, null);
    }

    /** This result after its output folder was uploaded to a Hub repo. */
    public ExportResult withPushed(HubFolders.Uploaded uploaded) {
        return new ExportResult(exported, cache, entry, entryFile, module, artifacts, memory, timingsMs, uploaded);
    }
}
