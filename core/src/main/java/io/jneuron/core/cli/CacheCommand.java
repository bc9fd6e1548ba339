package io.jneuron.core.cli;

import io.jneuron.core.cache.CleanupOptions;
import io.jneuron.core.hub.HubClient;
import io.jneuron.core.hub.HubConfig;
import io.jneuron.core.report.Render;
import io.jneuron.core.report.Report;
import io.jneuron.core.service.CacheResults;
import io.jneuron.core.service.CacheService;
import io.jneuron.core.service.Context;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code jneuron cache lookup|list|status|cleanup|verify|synchronize|create|set}: the compile cache, its registry
 * and the Hub cache repo (docs/cli.md). Each verb fills a request for one {@link CacheService} call.
 */
@Command(name = "cache", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Look up, list, check and clean the compile cache and its registry; share it on the Hub.",
        subcommands = {CacheCommand.Lookup.class, CacheCommand.ListModels.class, CacheCommand.Status.class,
                CacheCommand.Cleanup.class, CacheCommand.Verify.class, CacheCommand.Synchronize.class,
                CacheCommand.Create.class, CacheCommand.Set.class, CommandLine.HelpCommand.class})
public final class CacheCommand extends CommandGroup {
    /** The environment the verbs read (tests pass their own). */
    final Map<String, String> env;
    /** How the verbs make Hub clients (tests add a request counter). */
    final Function<HubConfig, HubClient> clients;

    public CacheCommand() {
        this(System.getenv());
    }

    CacheCommand(Map<String, String> env) {
        this(env, HubClient::create);
    }

    CacheCommand(Map<String, String> env, Function<HubConfig, HubClient> clients) {
        this.env = Map.copyOf(env);
        this.clients = clients;
    }

    /** What every verb shares: the parent's environment and Hub clients. */
    abstract static class Verb extends ReportCommand {
        @ParentCommand
        CacheCommand parent;

        @Override
        Context context(Render.Format f) {
            return Output.context(spec, parent.env, f).withHubClients(parent.clients);
        }
    }

    /** A verb that reads a local compile cache. */
    abstract static class LocalVerb extends Verb {
        @Option(names = "--cache_dir", description = "Compile cache root (default: NEURON_CC_FLAGS --cache_dir, "
                + "NEURON_COMPILE_CACHE_URL, /var/tmp/neuron-compile-cache).")
        String cacheDir;
    }

    @Command(name = "lookup", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Cached configurations of a model (a local folder, or a Hub id: only its config.json is fetched).")
    public static final class Lookup extends LocalVerb {
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

        @Override
        public CacheResults.Lookup report(Context ctx) {
            return CacheService.lookup(new CacheService.LookupRequest(model, task, batchSize, sequenceLength,
                    tensorParallelSize, dtype, instanceType, repoId, cacheDir), ctx);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Models with registry entries, per compiler version.")
    public static final class ListModels extends LocalVerb {
        @Override
        public CacheResults.Models report(Context ctx) {
            return CacheService.list(cacheDir, ctx);
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Sizes and module states per compiler version, current vs old.")
    public static final class Status extends LocalVerb {
        @Option(names = "--current", description = "Current version of a compiler, e.g. neuronxcc=2.21 (repeatable).")
        Map<String, String> current;

        @Override
        public CacheResults.Status report(Context ctx) {
            return CacheService.status(cacheDir, current, ctx);
        }
    }

    @Command(name = "cleanup", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Remove failed entries and stale locks; refuses while a compile runs.")
    public static final class Cleanup extends LocalVerb {
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

        @Override
        public CacheResults.Cleanup report(Context ctx) {
            return CacheService.cleanup(cacheDir, new CleanupOptions(all, oldVersions, wipe, dryRun,
                    current == null ? Map.of() : current), ctx);
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Re-hash every registry entry with its version's recipe, and every compiled module's artifacts "
                + "against their recorded digests; exit 1 if any fails.")
    public static final class Verify extends LocalVerb {
        @Parameters(paramLabel = "DIR", arity = "0..1", description = "Cache root to verify (default: the resolved cache).")
        Path dir;
        @Option(names = "--repo_id", description = "Verify a Hub cache repo's registry instead (downloads every entry).")
        String repoId;

        @Override
        public CacheResults.Verify report(Context ctx) {
            return CacheService.verify(dir, cacheDir, repoId, ctx);
        }

        @Override
        int exitCode(Report r) {
            CacheResults.Verify v = (CacheResults.Verify) r;
            if (v.bad() == 0) {
                return 0;
            }
            spec.commandLine().getErr().println("error: " + v.failure());
            return 1;
        }
    }

    @Command(name = "synchronize", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Upload complete modules and registry entries of the local cache to the Hub cache repo.")
    public static final class Synchronize extends LocalVerb {
        @Option(names = "--repo_id", description = "The Hub cache repo (default: CUSTOM_CACHE_REPO, else the repo "
                + "`cache set` recorded).")
        String repoId;

        @Override
        public CacheResults.Sync report(Context ctx) {
            return CacheService.synchronize(cacheDir, repoId, ctx);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Create a Hub cache repo (private unless --public) and set it as this machine's cache repo.")
    public static final class Create extends Verb {
        @Option(names = {"-n", "--name"}, description = "Repo name or org/name (default optimum-neuron-cache).")
        String name;
        @Option(names = "--public", description = "Make the repo public.")
        boolean isPublic;

        @Override
        public CacheResults.RepoSet report(Context ctx) {
            return CacheService.create(name, isPublic, ctx);
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Use an existing Hub cache repo on this machine (written to $HF_HOME/optimum_neuron_custom_cache).")
    public static final class Set extends Verb {
        @Parameters(paramLabel = "NAME", description = "The repo id, org/name.")
        String name;

        @Override
        public CacheResults.RepoSet report(Context ctx) {
            return CacheService.set(name, ctx);
        }
    }
}
