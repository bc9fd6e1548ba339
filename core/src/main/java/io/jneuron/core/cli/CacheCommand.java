package io.jneuron.core.cli;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.cache.CacheException;
import io.jneuron.core.cache.CacheReports;
import io.jneuron.core.cache.CacheRoot;
import io.jneuron.core.cache.CacheStatus;
import io.jneuron.core.cache.CleanupOptions;
import io.jneuron.core.cache.CleanupReport;
import io.jneuron.core.cache.CacheRepo;
import io.jneuron.core.cache.FederatedLookup;
import io.jneuron.core.cache.LookupMatch;
import io.jneuron.core.cache.LookupQuery;
import io.jneuron.core.cache.ModelLookup;
import io.jneuron.core.cache.ModuleDir;
import io.jneuron.core.cache.ModuleState;
import io.jneuron.core.cache.PyJson;
import io.jneuron.core.cache.Registry;
import io.jneuron.core.cache.RegistryProblem;
import io.jneuron.core.cache.RegistryScan;
import io.jneuron.core.cache.RegistrySource;
import io.jneuron.core.cache.VerifyResult;
import io.jneuron.core.hub.HubClient;
import io.jneuron.core.hub.HubConfig;
import io.jneuron.core.model.ModelResolver;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code jneuron cache lookup|list|status|cleanup|verify} (and, in {@link CacheHubCommands},
 * {@code synchronize|create|set}): the compile cache and the NEFF hash registry
 * (DESIGN.md §3). Parsing and rendering only; the work is one call into {@code io.jneuron.core.cache}.
 */
@Command(name = "cache", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Look up, list, check and clean the compile cache and its registry.",
        subcommands = {CacheCommand.Lookup.class, CacheCommand.ListModels.class, CacheCommand.Status.class,
                CacheCommand.Cleanup.class, CacheCommand.Verify.class, CacheHubCommands.Synchronize.class,
                CacheHubCommands.Create.class, CacheHubCommands.Set.class, CommandLine.HelpCommand.class})
public final class CacheCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The environment the verbs read (tests pass their own); package-private for {@link CacheHubCommands}. */
    final Map<String, String> env;

    public CacheCommand() {
        this(System.getenv());
    }

    /** How the verbs make Hub clients (tests add a request counter); package-private for {@link CacheHubCommands}. */
    final Function<HubConfig, HubClient> clients;

    CacheCommand(Map<String, String> env) {
        this(env, HubClient::create);
    }

    CacheCommand(Map<String, String> env, Function<HubConfig, HubClient> clients) {
        this.env = Map.copyOf(env);
        this.clients = clients;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Specify a subcommand");
    }

    /** Options every cache verb takes. */
    static final class Common {
        @Option(names = "--format", defaultValue = "text", description = "Output: text or json (one document on stdout).")
        String format;

        @Option(names = "--cache_dir", description = "Compile cache root (default: NEURON_CC_FLAGS --cache_dir, "
                + "NEURON_COMPILE_CACHE_URL, /var/tmp/neuron-compile-cache).")
        String cacheDir;

        boolean json() {
            String f = format.toLowerCase(Locale.ROOT);
            if (!f.equals("text") && !f.equals("json")) {
                throw new NeuronKernelException("--format '" + format + "' is not text or json");
            }
            return f.equals("json");
        }

        CacheRoot root(CacheCommand parent) {
            return CacheRoot.resolve(cacheDir, parent.env);
        }
    }

    @Command(name = "lookup", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Cached configurations of a model (local folder or Hub id in the Hub cache).")
    public static final class Lookup implements Runnable {
        @ParentCommand
        CacheCommand parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        Common common;
        @Parameters(paramLabel = "MODEL", description = "A folder with config.json, or a Hub id (org/name).")
        String model;
        @Option(names = "--task", description = "e.g. text-generation (default: inferred from the architecture).")
        String task;
        @Option(names = "--batch_size", description = "Only entries compiled for this batch size.")
        Long batchSize;
        @Option(names = "--sequence_length", description = "Only entries compiled for this sequence length.")
        Long sequenceLength;
        @Option(names = "--tensor_parallel_size", description = "Only entries compiled for this tensor parallel degree.")
        Long tensorParallelSize;
        @Option(names = "--dtype", description = "bfloat16, float16, float32 (or bf16, fp16, fp32).")
        String dtype;
        @Option(names = "--instance_type", description = "trn1, trn2, inf2, trn1n (inf2 and trn1n match trn1).")
        String instanceType;
        @Option(names = "--repo_id", description = "A Hub cache repo to search too (default: CUSTOM_CACHE_REPO, "
                + "else the repo `cache set` recorded).")
        String repoId;

        /** The cached configurations of a model, found in one cache root and, when {@code repo} is set, a Hub cache repo. */
        public record Outcome(String model, Path root, List<LookupMatch> rows, String repo) {
            public Outcome(String model, Path root, List<LookupMatch> rows) {
                this(model, root, rows, null);
            }
        }

        /** The parsed verb's one core call, shared with {@code %neuron_cache lookup}. */
        public Outcome lookup() {
            PrintWriter err = spec.commandLine().getErr();
            HubConfig hubConfig = HubConfig.fromEnvironment(parent.env);
            ModelLookup.Result r = ModelLookup.lookup(new ModelResolver(hubConfig, parent.clients), model,
                    q -> q.withTask(task).withBatchSize(batchSize).withSequenceLength(sequenceLength)
                            .withTensorParallelSize(tensorParallelSize).withDtype(dtype).withInstanceType(instanceType),
                    common.root(parent), CacheRepo.resolve(repoId, hubConfig, parent.env),
                    p -> err.println("warning: skipped " + p.path() + ": " + p.reason()));
            r.warnings().forEach(err::println);
            return new Outcome(r.model(), r.root(), r.rows(), r.repo());
        }

        @Override
        public void run() {
            Outcome o = lookup();
            List<LookupMatch> rows = o.rows();
            String id = o.model();
            PrintWriter out = spec.commandLine().getOut();
            if (common.json()) {
                print(out, CacheReports.lookup(rows));
            } else if (rows.isEmpty()) {
                out.println("No cached entries found for " + id + ".");
            } else {
                out.println("Cached entries for " + id + " (found by " + rows.get(0).strategy().label() + " in "
                        + o.root() + (o.repo() == null ? "" : " and " + o.repo()) + "):");
                List<List<String>> cells = new ArrayList<>();
                for (LookupMatch r : rows) {
                    cells.add(List.of(str(r.batchSize()), str(r.sequenceLength()), str(r.tpDegree()), str(r.torchDtype()),
                            str(r.target()), r.source(), r.entry()));
                }
                table(out, List.of("batch size", "sequence length", "tensor parallel", "dtype", "instance type", "source",
                        "entry"), cells);
            }
            out.flush();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Models with registry entries, per compiler version.")
    public static final class ListModels implements Runnable {
        @ParentCommand
        CacheCommand parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        Common common;

        /** One map per model and compiler version ({@link CacheReports#models}); problems go to the err writer. */
        public List<Object> models() {
            RegistryScan scan = common.root(parent).registry().scan();
            PrintWriter err = spec.commandLine().getErr();
            scan.problems().forEach(p -> err.println("warning: skipped " + p.path() + ": " + p.reason()));
            return CacheReports.models(scan);
        }

        @Override
        public void run() {
            List<Object> models = models();
            PrintWriter out = spec.commandLine().getOut();
            if (common.json()) {
                print(out, models);
            } else {
                List<List<String>> cells = new ArrayList<>();
                for (Object o : models) {
                    Map<?, ?> m = (Map<?, ?>) o;
                    cells.add(List.of(str(m.get("compiler")), str(m.get("registry_version")), str(m.get("model_id")),
                            str(m.get("model_type")), str(m.get("task")), str(m.get("entries"))));
                }
                table(out, List.of("compiler", "registry", "model", "type", "task", "entries"), cells);
            }
            out.flush();
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Sizes and module states per compiler version, current vs old.")
    public static final class Status implements Runnable {
        @ParentCommand
        CacheCommand parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        Common common;
        @Option(names = "--current", description = "Current version of a compiler, e.g. neuronxcc=2.21 (repeatable).")
        Map<String, String> current;

        public CacheStatus status() {
            return common.root(parent).status(current == null ? Map.of() : current);
        }

        @Override
        public void run() {
            CacheStatus s = status();
            PrintWriter out = spec.commandLine().getOut();
            if (common.json()) {
                print(out, CacheReports.status(s));
                out.flush();
                return;
            }
            out.println("Cache path: " + s.root());
            out.println("Total size: " + CacheStatus.human(s.totalBytes()));
            boolean stale = false;
            for (CacheStatus.Compiler c : s.compilers()) {
                out.println(c.compiler().folderName() + " (" + (c.current() ? "current" : "old") + "): "
                        + CacheStatus.human(c.bytes()) + ", " + c.registryEntries() + " registry file(s)");
                for (ModuleState st : ModuleState.values()) {
                    out.println("  " + st.label() + ": " + c.counts().get(st) + " (" + CacheStatus.human(c.stateBytes().get(st))
                            + ")");
                }
                for (ModuleDir d : c.staleLocks()) {
                    out.println("  stale lock: " + d.name() + " held by " + d.lock().describe());
                    stale = true;
                }
            }
            out.println("Old versions: " + CacheStatus.human(s.oldVersionBytes()));
            if (stale) {
                out.println("Stale locks block those modules; run `" + s.clearCommand() + "` to clear them.");
            }
            out.flush();
        }
    }

    @Command(name = "cleanup", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Remove failed entries and stale locks; refuses while a compile runs.")
    public static final class Cleanup implements Runnable {
        @ParentCommand
        CacheCommand parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        Common common;
        @Option(names = "--all", description = "Also remove empty entries.")
        boolean all;
        @Option(names = "--old-versions", description = "Also remove compiler folders that are not current.")
        boolean oldVersions;
        @Option(names = "--wipe", description = "Remove every compiler folder of the cache.")
        boolean wipe;
        @Option(names = "--dry-run", description = "Only report what would be removed.")
        boolean dryRun;
        @Option(names = "--current", description = "Current version of a compiler, e.g. neuronxcc=2.21 (repeatable).")
        Map<String, String> current;

        /** What was (or, with --dry-run, would be) removed under {@code root}. */
        public record Outcome(Path root, CleanupReport report, boolean dryRun) {
        }

        public Outcome cleanup() {
            CacheRoot root = common.root(parent);
            return new Outcome(root.path(), root.cleanup(new CleanupOptions(all, oldVersions, wipe, dryRun,
                    current == null ? Map.of() : current)), dryRun);
        }

        @Override
        public void run() {
            Outcome o = cleanup();
            CleanupReport r = o.report();
            Path rootPath = o.root();
            PrintWriter out = spec.commandLine().getOut();
            if (common.json()) {
                print(out, CacheReports.cleanup(r, rootPath));
            } else {
                for (CleanupReport.Removal x : r.removed()) {
                    out.println((dryRun ? "would remove " : "removed ") + rootPath.relativize(x.path()) + " ("
                            + x.reason() + ")");
                }
                out.println((dryRun ? "[DRY RUN] " : "") + "Removed " + r.removed().size() + " item(s), freed "
                        + CacheStatus.human(r.freedBytes()) + " in " + rootPath + ".");
            }
            out.flush();
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Re-hash every registry entry with its version's recipe, and every compiled module's artifacts "
                + "against their recorded digests; exit 1 if any fails.")
    public static final class Verify implements Callable<Integer> {
        @ParentCommand
        CacheCommand parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        Common common;
        @Parameters(paramLabel = "DIR", arity = "0..1", description = "Cache root to verify (default: the resolved cache).")
        Path dir;
        @Option(names = "--repo_id", description = "Verify a Hub cache repo's registry instead (downloads every entry).")
        String repoId;

        /** Every registry file of one cache root or Hub repo ({@code location}), re-hashed. */
        public record Outcome(String location, List<VerifyResult> results) {
        }

        public Outcome verify() {
            if (repoId != null) {
                if (dir != null) {
                    throw new CacheException("give DIR or --repo_id, not both");
                }
                HubConfig hubConfig = HubConfig.fromEnvironment(parent.env);
                try (HubClient client = HubClient.create(hubConfig)) {
                    return new Outcome(repoId, Registry.over(RegistrySource.hub(client, repoId)).verify());
                }
            }
            CacheRoot root = dir != null ? CacheRoot.at(dir) : common.root(parent);
            return new Outcome(root.path().toString(), root.verify());
        }

        @Override
        public Integer call() {
            Outcome o = verify();
            List<VerifyResult> results = o.results();
            long bad = results.stream().filter(r -> !r.ok()).count();
            PrintWriter out = spec.commandLine().getOut();
            if (common.json()) {
                print(out, CacheReports.verify(results));
            } else {
                results.stream().filter(r -> !r.ok()).forEach(r -> out.println("BAD " + r.path() + ": " + r.reason()));
                out.println("Verified " + results.size() + " registry file(s) and module(s) in " + o.location() + ": "
                        + (results.size() - bad) + " ok, " + bad + " bad.");
            }
            out.flush();
            if (bad > 0) {
                spec.commandLine().getErr().println("error: " + bad + " of " + results.size()
                        + " registry file(s) failed verification; delete them and re-export those models");
                return 1;
            }
            return 0;
        }
    }

    static void print(PrintWriter out, Object json) {
        out.println(PyJson.dumps(json, PyJson.Style.INDENT2));
    }

    private static String str(Object o) {
        return o == null ? "-" : o.toString();
    }

    /** Left-aligned columns, two spaces apart. */
    private static void table(PrintWriter out, List<String> headers, List<List<String>> rows) {
        int[] w = new int[headers.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = headers.get(i).length();
            for (List<String> r : rows) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        List<List<String>> all = new ArrayList<>();
        all.add(headers);
        all.addAll(rows);
        for (List<String> r : all) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < w.length; i++) {
                sb.append(i == w.length - 1 ? r.get(i) : String.format("%-" + w[i] + "s  ", r.get(i)));
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
