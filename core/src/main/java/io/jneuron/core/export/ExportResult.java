package io.jneuron.core.export;

import io.jneuron.core.hub.HubFolders;
import io.jneuron.core.report.Report;
import io.jneuron.core.report.Table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an export did: where the model is, which backend compiled it, whether the compile cache had it
 * ({@link #HIT_LOCAL}, {@link #HIT_HUB}) or it was compiled ({@link #MISS}), the registry entry, the
 * artifacts in the output folder, stage timings in milliseconds, and where the folder was pushed
 * ({@code --push_to_hub}; null when it was not). Shown as a property table.
 */
public record ExportResult(ExportedModel exported, String cache, String entry, Path entryFile, Path module,
                           List<String> artifacts, MemoryPlan memory, Map<String, Double> timingsMs,
                           HubFolders.Uploaded pushed) implements Report {
    public static final String HIT_LOCAL = "hit-local";
    public static final String HIT_HUB = "hit-hub";
    public static final String MISS = "miss";

    /** This result after its output folder was uploaded to a Hub repo. */
    public ExportResult withPushed(HubFolders.Uploaded uploaded) {
        return new ExportResult(exported, cache, entry, entryFile, module, artifacts, memory, timingsMs, uploaded);
    }

    @Override
    public String headline() {
        double s = timingsMs.getOrDefault("total_ms", 0.0) / 1000;
        return cache.equals(MISS) ? String.format(Locale.ROOT, "cache miss: compiled with %s in %.2f s",
                exported.backend(), s) : String.format(Locale.ROOT, "cache %s: ready in %.2f s", cache, s);
    }

    @Override
    public Table table() {
        List<List<Object>> rows = new ArrayList<>(List.of(
                List.of("output", exported.folder().toString()),
                List.of("backend", exported.backend()),
                List.of("cache", cache),
                List.of("shapes", exported.shape().toString()),
                List.of("registry entry", String.valueOf(entry)),
                // A delegated export (optimum-cli) has no module of ours, and no entry file for a local model.
                List.of("entry file", entryFile == null ? "not registered" : entryFile.toString()),
                List.of("module", module == null ? "none (exported by " + exported.backend() + "'s external tool)"
                        : module.toString()),
                List.of("parameters", String.format(Locale.ROOT, "%.2f M", memory.parameters() / 1e6)),
                List.of("weights", String.format(Locale.ROOT, "%.1f MB", memory.weightBytes() / 1e6)),
                List.of(memory.stateName(), String.format(Locale.ROOT, "%.1f MB", memory.stateBytes() / 1e6)),
                List.of("artifacts", String.join(", ", artifacts))));
        if (pushed != null) {
            rows.add(List.of("pushed to", pushed.repo() + " at " + pushed.commit()));
        }
        timingsMs.forEach((k, v) -> rows.add(List.of(k, String.format(Locale.ROOT, "%.1f", v))));
        return Table.properties(rows);
    }

    @Override
    public Map<String, Object> json() {
        Map<String, Object> o = Report.fields("output", exported.folder().toString(), "backend", exported.backend(),
                "cache", cache, "entry", entry, "entry_file", entryFile == null ? null : entryFile.toString(), "module",
                module == null ? null : module.toString(), "shape", exported.shape().toString(), "artifacts",
                new ArrayList<Object>(artifacts), "memory", Report.fields("parameters", memory.parameters(),
                        "weight_bytes", memory.weightBytes(), memory.encoder() ? "activation_bytes" : "kv_cache_bytes",
                        memory.stateBytes()), "timings", new LinkedHashMap<String, Object>(timingsMs));
        if (pushed != null) {
            o.put("pushed", Report.fields("repo", pushed.repo(), "commit", pushed.commit()));
        }
        return o;
    }
}
