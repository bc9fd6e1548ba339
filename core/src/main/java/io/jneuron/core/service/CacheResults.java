package io.jneuron.core.service;

import io.jneuron.core.cache.CacheRepo;
import io.jneuron.core.cache.CacheStatus;
import io.jneuron.core.cache.CacheSync;
import io.jneuron.core.cache.CleanupReport;
import io.jneuron.core.cache.LookupMatch;
import io.jneuron.core.cache.ModuleDir;
import io.jneuron.core.cache.ModuleState;
import io.jneuron.core.cache.VerifyResult;
import io.jneuron.core.report.Report;
import io.jneuron.core.report.Table;
import io.jneuron.core.report.Table.Column;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results of the {@code cache} verbs ({@link CacheService}): each holds its data and says how it looks as a
 * headline, a table and the JSON document of {@code docs/cli.md}. One list of column headers per result.
 */
public final class CacheResults {
    private CacheResults() {
    }

    /** {@code cache lookup}: the cached configurations of {@code model} in {@code root} and, if set, the Hub {@code repo}. */
    public record Lookup(String model, Path root, String repo, List<LookupMatch> rows) implements Report {
        public Lookup {
            rows = List.copyOf(rows);
        }

        @Override
        public String headline() {
            return rows.isEmpty() ? "No cached entries found for " + model + "." : "Cached entries for " + model
                    + " (found by " + rows.get(0).strategy().label() + " in " + root + (repo == null ? "" : " and " + repo)
                    + "):";
        }

        @Override
        public Table table() {
            // optimum's lookup columns first, then the fields its entries record (task, compiler, revision, casts)
            Table.Builder t = Table.builder(Column.number("batch size"), Column.number("sequence length"),
                    Column.number("tensor parallel"), Column.text("dtype"), Column.text("instance type"),
                    Column.text("task"), Column.text("compiler type"), Column.text("compiler version"),
                    Column.text("checkpoint revision"), Column.text("auto_cast"), Column.text("auto_cast_type"),
                    Column.text("optlevel"), Column.text("source"), Column.text("entry"));
            rows.forEach(m -> t.row(m.batchSize(), m.sequenceLength(), m.tpDegree(), m.torchDtype(), m.target(),
                    m.task(), m.compilerType(), m.compilerVersion(), m.checkpointRevision(),
                    m.autoCast(), m.autoCastType(), m.optlevel(), m.source(),
                    m.entry()));
            return t.build();
        }

        @Override
        public List<Object> json() {
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
                o.put("task", m.task());
                o.put("compiler_type", m.compilerType());
                o.put("compiler_version", m.compilerVersion());
                o.put("auto_cast", m.autoCast());
                o.put("auto_cast_type", m.autoCastType());
                o.put("optlevel", m.optlevel());
                o.put("entry", m.entry());
                o.put("source", m.source());
                o.put("path", m.path());
                o.put("strategy", m.strategy().label());
                out.add(o);
            }
            return out;
        }
    }

    /**
     * {@code cache list}: one row per (compiler folder, registry version, model, type, task) with its number of
     * distinct entries, sorted.
     */
    public record Models(List<Model> models) implements Report {
        public Models {
            models = List.copyOf(models);
        }

        /** One group of entries. */
        public record Model(String compiler, String registryVersion, String modelId, String modelType, String task,
                            long entries) {
        }

        @Override
        public String headline() {
            return models.size() + " model(s) in the registry";
        }

        @Override
        public Table table() {
            Table.Builder t = Table.builder(Column.text("compiler"), Column.text("registry"), Column.text("model"),
                    Column.text("type"), Column.text("task"), Column.number("entries"));
            models.forEach(m -> t.row(m.compiler(), m.registryVersion(), m.modelId(), m.modelType(), m.task(), m.entries()));
            return t.build();
        }

        @Override
        public List<Object> json() {
            List<Object> out = new ArrayList<>();
            for (Model m : models) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("compiler", m.compiler());
                o.put("registry_version", m.registryVersion());
                o.put("model_id", m.modelId());
                o.put("model_type", m.modelType());
                o.put("task", m.task());
                o.put("entries", m.entries());
                out.add(o);
            }
            return out;
        }
    }

    /** {@code cache status}: sizes and module states per compiler folder, current vs old. */
    public record Status(CacheStatus status) implements Report {
        @Override
        public String headline() {
            boolean stale = status.compilers().stream().anyMatch(c -> !c.staleLocks().isEmpty());
            return "Cache " + status.root() + ": " + CacheStatus.human(status.totalBytes()) + " in total, "
                    + CacheStatus.human(status.oldVersionBytes()) + " in old versions"
                    + (stale ? "; stale locks block modules, run `" + status.clearCommand() + "` to clear them" : "");
        }

        @Override
        public Table table() {
            List<Column> cols = new ArrayList<>(List.of(Column.text("compiler"), Column.text("version"),
                    Column.text("size"), Column.number("registry files")));
            for (ModuleState st : ModuleState.values()) {
                cols.add(Column.text(st.label()));
            }
            cols.add(Column.number("stale locks"));
            Table.Builder t = Table.builder(cols.toArray(new Column[0]));
            for (CacheStatus.Compiler c : status.compilers()) {
                List<Object> r = new ArrayList<>(List.of(c.compiler().folderName(), c.current() ? "current" : "old",
                        CacheStatus.human(c.bytes()), c.registryEntries()));
                for (ModuleState st : ModuleState.values()) {
                    r.add(c.counts().get(st) + " (" + CacheStatus.human(c.stateBytes().get(st)) + ")");
                }
                r.add((long) c.staleLocks().size());
                t.row(r.toArray());
            }
            return t.build();
        }

        @Override
        public Map<String, Object> json() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("cache_dir", status.root().toString());
            o.put("total_bytes", status.totalBytes());
            o.put("old_version_bytes", status.oldVersionBytes());
            List<Object> compilers = new ArrayList<>();
            for (CacheStatus.Compiler c : status.compilers()) {
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
            o.put("clear_command", status.clearCommand());
            return o;
        }
    }

    /** {@code cache cleanup}: what was (or, in a dry run, would be) removed under {@code root}. */
    public record Cleanup(Path root, CleanupReport report) implements Report {
        @Override
        public String headline() {
            int n = report.removed().size();
            return report.dryRun() ? "[dry run] would remove " + n + " item(s), freeing "
                    + CacheStatus.human(report.freedBytes()) + " in " + root + "."
                    : "Removed " + n + " item(s), freed " + CacheStatus.human(report.freedBytes()) + " in " + root + ".";
        }

        @Override
        public Table table() {
            Table.Builder t = Table.builder(Column.path("path"), Column.text("reason"), Column.number("bytes"));
            report.removed().forEach(x -> t.row(root.relativize(x.path()).toString(), x.reason(), x.bytes()));
            return t.build();
        }

        @Override
        public Map<String, Object> json() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("dry_run", report.dryRun());
            o.put("freed_bytes", report.freedBytes());
            o.put("removed", table().json());
            return o;
        }
    }

    /** {@code cache verify}: every registry file (and, in a local cache, compiled module) of {@code location}, re-hashed. */
    public record Verify(String location, List<VerifyResult> results) implements Report {
        public Verify {
            results = List.copyOf(results);
        }

        public long bad() {
            return results.stream().filter(r -> !r.ok()).count();
        }

        /** What was checked; the headline and the CLI's error line both say it this way. */
        private static final String WHAT = "registry file(s) and module(s)";
        private static final String NEXT = "delete the bad ones and re-export those models";

        @Override
        public String headline() {
            return "Verified " + results.size() + " " + WHAT + " in " + location + ": " + (results.size() - bad())
                    + " ok, " + bad() + " bad" + (bad() > 0 ? "; " + NEXT : "");
        }

        /** The one-line error of a verify that found bad files (the CLI exits 1 with it), or null when all are ok. */
        public String failure() {
            return bad() == 0 ? null : bad() + " of " + results.size() + " " + WHAT + " in " + location
                    + " failed verification; " + NEXT;
        }

        /** The bad files only: a healthy cache needs no table. */
        @Override
        public Table table() {
            Table.Builder t = Table.builder(Column.path("path"), Column.text("ok"), Column.text("reason"));
            results.stream().filter(r -> !r.ok()).forEach(r -> t.row(r.path(), "BAD", r.reason()));
            return t.build();
        }

        @Override
        public List<Object> json() {
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
    }

    /** {@code cache synchronize}: what was uploaded to the Hub cache repo. */
    public record Sync(CacheSync.Report report) implements Report {
        @Override
        public String headline() {
            return "Synchronized " + report.root() + " to " + report.repo() + ": " + report.uploaded().size()
                    + " file(s) uploaded in " + report.commits().size() + " commit(s), " + report.unchanged()
                    + " unchanged, " + report.skipped().size() + " skipped.";
        }

        @Override
        public Table table() {
            Table.Builder t = Table.builder(Column.path("skipped"), Column.text("reason"));
            report.skipped().forEach(s -> t.row(s.path(), s.reason()));
            return t.build();
        }

        @Override
        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("repo", report.repo());
            m.put("cache_dir", report.root().toString());
            m.put("uploaded", new ArrayList<Object>(report.uploaded()));
            m.put("unchanged", (long) report.unchanged());
            List<Object> skipped = new ArrayList<>();
            report.skipped().forEach(s -> skipped.add(new LinkedHashMap<String, Object>(Map.of("path", s.path(),
                    "reason", s.reason()))));
            m.put("skipped", skipped);
            m.put("commits", new ArrayList<Object>(report.commits()));
            return m;
        }
    }

    /** {@code cache create} and {@code cache set}: the cache repo this machine now uses. */
    public record RepoSet(CacheRepo.Recorded recorded, boolean created) implements Report {
        @Override
        public String headline() {
            String set = "Neuron cache name set locally to " + recorded.repo() + " in " + recorded.file() + ".";
            return created ? "Neuron cache created on the Hugging Face Hub: " + recorded.repo() + " ["
                    + (recorded.isPrivate() ? "private" : "public") + "].\n" + set : set;
        }

        @Override
        public Table table() {
            return null;
        }

        @Override
        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("repo", recorded.repo());
            m.put("private", recorded.isPrivate());
            m.put("file", recorded.file().toString());
            m.put("previous", recorded.previous());
            return m;
        }
    }
}
