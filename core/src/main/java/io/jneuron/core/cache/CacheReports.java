package io.jneuron.core.cache;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The JSON shapes of the {@code cache} commands (DESIGN.md §3), as plain maps and lists for {@link PyJson}, so the
 * CLI and the notebook magics render the same data. Stateless.
 */
public final class CacheReports {
    private CacheReports() {
    }

    /** {@code cache lookup}: {batch_size, sequence_length, tp_degree, torch_dtype, target, checkpoint_id, checkpoint_revision, entry, source, path} + strategy. */
    public static List<Object> lookup(List<LookupMatch> rows) {
        List<Object> out = new ArrayList<>();
        for (LookupMatch m : rows) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("batch_size", m.batchSize());
            o.put("sequence_length", m.sequenceLength());
            o.put("tp_degree", m.tpDegree());
            o.put("torch_dtype", m.torchDtype());
            o.put("target", m.target());
            o.put("checkpoint_id", m.checkpointId());
            o.put("checkpoint_revision", m.checkpointRevision());
            o.put("entry", m.entry());
            o.put("source", m.source());
            o.put("path", m.path());
            o.put("strategy", m.strategy().label());
            out.add(o);
        }
        return out;
    }

    /** {@code cache verify}: {path, ok, reason} per registry file. */
    public static List<Object> verify(List<VerifyResult> results) {
        List<Object> out = new ArrayList<>();
        for (VerifyResult r : results) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("path", r.path());
            o.put("ok", r.ok());
            o.put("reason", r.reason());
            out.add(o);
        }
        return out;
    }

    /**
     * {@code cache list}: one row per (compiler folder, registry version, model) with its number of distinct entries,
     * sorted. The model id comes from the entry, else from its alias folder.
     */
    public static List<Object> models(RegistryScan scan) {
        Map<List<String>, Set<String>> groups = new TreeMap<>((a, b) -> String.join("\0", a).compareTo(String.join("\0", b)));
        for (StoredEntry e : scan.entries()) {
            String id = e.entry().modelId().orElse(e.modelIdFromPath());
            List<String> key = List.of(e.compiler().folderName(), e.registryVersion(), id == null ? "?" : id,
                    e.entry().modelType().orElse("?"), e.entry().task().orElse("?"));
            groups.computeIfAbsent(key, k -> new TreeSet<>()).add(e.fileHash());
        }
        List<Object> out = new ArrayList<>();
        groups.forEach((k, hashes) -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("compiler", k.get(0));
            o.put("registry_version", k.get(1));
            o.put("model_id", k.get(2));
            o.put("model_type", k.get(3));
            o.put("task", k.get(4));
            o.put("entries", (long) hashes.size());
            out.add(o);
        });
        return out;
    }

    /** {@code cache status}: sizes and states per compiler folder, current vs old, stale locks with the clear command. */
    public static Map<String, Object> status(CacheStatus s) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("cache_dir", s.root().toString());
        o.put("total_bytes", s.totalBytes());
        o.put("old_version_bytes", s.oldVersionBytes());
        List<Object> compilers = new ArrayList<>();
        for (CacheStatus.Compiler c : s.compilers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("folder", c.compiler().folderName());
            m.put("compiler", c.compiler().name());
            m.put("version", c.compiler().version());
            m.put("current", c.current());
            m.put("bytes", c.bytes());
            m.put("registry_entries", c.registryEntries());
            Map<String, Object> states = new LinkedHashMap<>();
            for (ModuleState st : ModuleState.values()) {
                states.put(st.label(), Map.of("count", c.counts().get(st), "bytes", c.stateBytes().get(st)));
            }
            m.put("states", states);
            List<Object> stale = new ArrayList<>();
            for (ModuleDir d : c.staleLocks()) {
                Map<String, Object> l = new LinkedHashMap<>();
                l.put("module", d.name());
                l.put("pid", d.lock().pid() < 0 ? null : d.lock().pid());
                l.put("host", d.lock().host());
                l.put("since", d.lock().since().toString());
                l.put("detail", d.lock().detail());
                stale.add(l);
            }
            m.put("stale_locks", stale);
            compilers.add(m);
        }
        o.put("compilers", compilers);
        o.put("clear_command", s.clearCommand());
        return o;
    }

    /** {@code cache cleanup}: what was (or would be) removed. */
    public static Map<String, Object> cleanup(CleanupReport r, java.nio.file.Path root) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("dry_run", r.dryRun());
        o.put("freed_bytes", r.freedBytes());
        List<Object> removed = new ArrayList<>();
        for (CleanupReport.Removal x : r.removed()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", root.relativize(x.path()).toString());
            m.put("reason", x.reason());
            m.put("bytes", x.bytes());
            removed.add(m);
        }
        o.put("removed", removed);
        return o;
    }
}
