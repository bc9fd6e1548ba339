package io.jneuron.core.cli;

import io.jneuron.core.cache.CacheRepo;
import io.jneuron.core.cache.CacheRoot;
import io.jneuron.core.cache.CacheSync;
import io.jneuron.core.hub.HubClient;
import io.jneuron.core.hub.HubConfig;
import io.jneuron.core.cache.CacheException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code jneuron cache synchronize|create|set}: the verbs that write to a Hub cache repo or choose it (spec §3.4,
 * §3.5), kept apart from {@link CacheCommand}'s local verbs. Parsing and rendering only.
 */
public final class CacheHubCommands {
    private CacheHubCommands() {
    }

    @Command(name = "synchronize", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Upload complete modules and registry entries of the local cache to the Hub cache repo.")
    public static final class Synchronize implements Runnable {
        @ParentCommand
        CacheCommand parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        CacheCommand.Common common;
        @Option(names = "--repo_id", description = "The Hub cache repo (default: CUSTOM_CACHE_REPO, else the repo "
                + "`cache set` recorded).")
        String repoId;

        public CacheSync.Report synchronize() {
            HubConfig config = HubConfig.fromEnvironment(parent.env);
            String repo = CacheRepo.resolve(repoId, config, parent.env).orElseThrow(() -> new CacheException(
                    "no cache repo to synchronize to; pass --repo_id, set CUSTOM_CACHE_REPO or run `jneuron cache set`"));
            CacheRoot root = common.root(parent);
            try (HubClient client = HubClient.create(config)) {
                return CacheSync.synchronize(root.path(), client, repo);
            }
        }

        @Override
        public void run() {
            CacheSync.Report r = synchronize();
            PrintWriter out = spec.commandLine().getOut();
            if (common.json()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("repo", r.repo());
                m.put("cache_dir", r.root().toString());
                m.put("uploaded", new ArrayList<Object>(r.uploaded()));
                m.put("unchanged", (long) r.unchanged());
                List<Object> skipped = new ArrayList<>();
                r.skipped().forEach(s -> skipped.add(new LinkedHashMap<String, Object>(Map.of("path", s.path(),
                        "reason", s.reason()))));
                m.put("skipped", skipped);
                m.put("commits", new ArrayList<Object>(r.commits()));
                CacheCommand.print(out, m);
            } else {
                r.skipped().forEach(s -> out.println("skipped " + s.path() + " (" + s.reason() + ")"));
                out.println("Synchronized " + r.root() + " to " + r.repo() + ": " + r.uploaded().size() + " file(s) "
                        + "uploaded in " + r.commits().size() + " commit(s), " + r.unchanged() + " unchanged, "
                        + r.skipped().size() + " skipped.");
            }
            out.flush();
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Create a Hub cache repo (private unless --public) and set it as this machine's cache repo.")
    public static final class Create implements Runnable {
        @ParentCommand
        CacheCommand parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = {"-n", "--name"}, description = "Repo name or org/name (default optimum-neuron-cache).")
        String name;
        @Option(names = "--public", description = "Make the repo public.")
        boolean isPublic;

        @Override
        public void run() {
            HubConfig config = HubConfig.fromEnvironment(parent.env);
            CacheRepo.Recorded r;
            try (HubClient client = HubClient.create(config)) {
                r = CacheRepo.create(client, config, name, isPublic);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("Neuron cache created on the Hugging Face Hub: " + r.repo() + " ["
                    + (r.isPrivate() ? "private" : "public") + "].");
            printSet(out, spec.commandLine().getErr(), r);
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Use an existing Hub cache repo on this machine (written to $HF_HOME/optimum_neuron_custom_cache).")
    public static final class Set implements Runnable {
        @ParentCommand
        CacheCommand parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "NAME", description = "The repo id, org/name.")
        String name;

        @Override
        public void run() {
            HubConfig config = HubConfig.fromEnvironment(parent.env);
            CacheRepo.Recorded r;
            try (HubClient client = HubClient.create(config)) {
                r = CacheRepo.set(client, config, name);
            }
            printSet(spec.commandLine().getOut(), spec.commandLine().getErr(), r);
        }
    }

    private static void printSet(PrintWriter out, PrintWriter err, CacheRepo.Recorded r) {
        if (r.previous() != null && !r.previous().equals(r.repo())) {
            err.println("warning: replaced the cache repo " + r.previous() + " with " + r.repo());
            err.flush();
        }
        out.println("Neuron cache name set locally to " + r.repo() + " in " + r.file() + ".");
        out.flush();
    }
}
