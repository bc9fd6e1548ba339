package io.jneuron.core.service;

import io.jneuron.core.cache.CacheRepo;
import io.jneuron.core.cache.CacheStatus;
import io.jneuron.core.cache.CacheSync;
import io.jneuron.core.cache.CleanupReport;
import io.jneuron.core.cache.LookupMatch;
import io.jneuron.core.cache.ModuleState;
import io.jneuron.core.cache.VerifyResult;
import io.jneuron.core.report.Report;
import io.jneuron.core.report.Table;
import io.jneuron.core.report.Table.Column;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
            return rows.stream().map(m -> (Object) Report.fields("batch_size", m.batchSize(), "sequence_length",
                    m.sequenceLength(), "tp_degree", m.tpDegree(), "torch_dtype", m.torchDtype(), "target", m.target(),
                    "checkpoint_id", m.checkpointId(), "checkpoint_revision", m.checkpointRevision(), "task", m.task(),
                    "compiler_type", m.compilerType(), "compiler_version", m.compilerVersion(), "auto_cast",
                    m.autoCast(), "auto_cast_type", m.autoCastType(), "optlevel", m.optlevel(), "entry", m.entry(),
                    "source", m.source(), "path", m.path(), "strategy", m.strategy().label())).toList();
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
            return models.stream().map(m -> (Object) Report.fields("compiler", m.compiler(), "registry_version",
                    m.registryVersion(), "model_id", m.modelId(), "model_type", m.modelType(), "task", m.task(),
                    "entries", m.entries())).toList();
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
            Arrays.stream(ModuleState.values()).forEach(st -> cols.add(Column.text(st.label())));
            cols.add(Column.number("stale locks"));
            Table.Builder t = Table.builder(cols.toArray(new Column[0]));
            for (CacheStatus.Compiler c : status.compilers()) {
                List<Object> r = new ArrayList<>(List.of(c.compiler().folderName(), c.current() ? "current" : "old",
                        CacheStatus.human(c.bytes()), c.registryEntries()));
                Arrays.stream(ModuleState.values())
                        .forEach(st -> r.add(c.counts().get(st) + " (" + CacheStatus.human(c.stateBytes().get(st)) + ")"));
                r.add((long) c.staleLocks().size());
                t.row(r.toArray());
            }
            return t.build();
        }

        @Override
        public Map<String, Object> json() {
            List<Object> compilers = new ArrayList<>();
            for (CacheStatus.Compiler c : status.compilers()) {
                Map<String, Object> states = new LinkedHashMap<>();
                for (ModuleState st : ModuleState.values()) {
                    states.put(st.label(), Report.fields("count", c.counts().get(st), "bytes", c.stateBytes().get(st)));
                }
                compilers.add(Report.fields("folder", c.compiler().folderName(), "compiler", c.compiler().name(),
                        "version", c.compiler().version(), "current", c.current(), "bytes", c.bytes(),
                        "registry_entries", c.registryEntries(), "states", states, "stale_locks",
                        c.staleLocks().stream().map(d -> (Object) Report.fields("module", d.name(), "pid",
                                d.lock().pid() < 0 ? null : d.lock().pid(), "host", d.lock().host(), "since",
                                d.lock().since().toString(), "detail", d.lock().detail())).toList()));
            }
            return Report.fields("cache_dir", status.root().toString(), "total_bytes", status.totalBytes(),
                    "old_version_bytes", status.oldVersionBytes(), "compilers", compilers, "clear_command",
                    status.clearCommand());
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
            return Report.fields("dry_run", report.dryRun(), "freed_bytes", report.freedBytes(), "removed", table().json());
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
            return results.stream().map(r -> (Object) Report.fields("path", r.path(), "ok", r.ok(), "reason", r.reason()))
                    .toList();
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
            return Report.fields("repo", report.repo(), "cache_dir", report.root().toString(), "uploaded",
                    new ArrayList<Object>(report.uploaded()), "unchanged", (long) report.unchanged(), "skipped",
                    report.skipped().stream().map(s -> (Object) Report.fields("path", s.path(), "reason", s.reason()))
                            .toList(), "commits", new ArrayList<Object>(report.commits()));
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
        public Map<String, Object> json() {
            return Report.fields("repo", recorded.repo(), "private", recorded.isPrivate(), "file",
                    recorded.file().toString(), "previous", recorded.previous());
        }
    }
}
