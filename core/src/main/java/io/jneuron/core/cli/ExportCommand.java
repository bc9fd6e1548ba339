package io.jneuron.core.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.cache.CacheRepo;
import io.jneuron.core.export.ExportRequest;
import io.jneuron.core.export.ExportResult;
import io.jneuron.core.export.Exporter;
import io.jneuron.core.hub.HubClient;
import io.jneuron.core.hub.HubConfig;
import io.jneuron.core.hub.HubFolders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@code jneuron export}: DESIGN.md §3, cache first. Progress goes to stderr in text mode. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a checkpoint to a static-shape compiled model folder, reusing the compile cache.")
public final class ExportCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "Checkpoint folder or Hub id in the local Hugging Face cache.")
    String model;

    @Parameters(index = "1", paramLabel = "OUTPUT", description = "Folder to write (replaced if it holds an earlier export).")
    Path output;

    @Option(names = "--task", defaultValue = "text-generation", description = "Task (default ${DEFAULT-VALUE}).")
    String task;

    @Option(names = {"--num_cores", "--tensor_parallel_size"}, description = "NeuronCores to shard over (default 1).")
    Integer numCores;

    @Option(names = "--instance_type", description = "trn1, inf2, trn1n or trn2 (recorded as the target).")
    String instanceType;

    @Option(names = "--optlevel", description = "Compiler optimisation level 1, 2 or 3 (default 2).")
    String optlevel;

    @Option(names = "--cache_dir", description = "Compile cache root (default: NEURON_CC_FLAGS --cache_dir, NEURON_COMPILE_CACHE_URL, /var/tmp/neuron-compile-cache).")
    String cacheDir;

    @Option(names = "--repo_id", description = "Hub cache repo to download a compiled module from on a local miss "
            + "(default: CUSTOM_CACHE_REPO, else the repo `cache set` recorded). Export never uploads.")
    String repoId;

    @Option(names = "--push_to_hub", paramLabel = "REPO_ID", description = "Upload the exported folder to this Hub "
            + "model repo (created if missing), so `generate REPO_ID` runs it anywhere without re-exporting.")
    String pushToHub;

    @Mixin
    ShapeOptions shape;

    @Mixin
    CommonOptions common;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        boolean json = common.json();
        ExportResult r = export(json ? ProgressListener.NONE : CommonOptions.stderrProgress(spec.commandLine().getErr()));
        if (json) {
            out.println(toJson(r));
            return;
        }
        Map<String, Double> t = r.timingsMs();
        out.printf(Locale.ROOT, "%s: %s in %.2f s -> %s%n", r.cache().equals(ExportResult.MISS) ? "cache miss: compiled"
                        : r.cache().equals(ExportResult.HIT_HUB) ? "cache hit (hub)" : "cache hit (local)",
                r.exported().backend(), t.get("total_ms") / 1000, r.exported().folder());
        out.printf(Locale.ROOT, "  shapes   %s%n", r.exported().shape());
        out.printf(Locale.ROOT, "  entry    %s (%s)%n", r.entry(), r.entryFile() == null ? "not registered" : r.entryFile());
        out.printf(Locale.ROOT, "  module   %s%n", r.module() == null ? "none (exported by " + r.exported().backend()
                + "'s external tool)" : r.module());
        out.printf(Locale.ROOT, "  memory   %.1f M parameters, weights %.1f MB, KV cache %.1f MB%n",
                r.memory().parameters() / 1e6, r.memory().weightBytes() / 1e6, r.memory().kvCacheBytes() / 1e6);
        out.printf(Locale.ROOT, "  files    %s%n", String.join(", ", r.artifacts()));
        if (r.pushed() != null) {
            out.printf(Locale.ROOT, "  pushed   %s at %s%n", r.pushed().repo(), r.pushed().commit());
        }
    }

    /** The parsed command's one core call, shared with the {@code %neuron_export} magic (which renders it itself). */
    public ExportResult export(ProgressListener progress) {
        if (instanceType != null && !instanceType.matches("trn1|inf2|trn1n|trn2")) {
            throw new NeuronKernelException("--instance_type '" + instanceType + "' is not one of trn1, inf2, trn1n, trn2");
        }
        if (optlevel != null && !optlevel.matches("[123]")) {
            throw new NeuronKernelException("--optlevel '" + optlevel + "' is not 1, 2 or 3");
        }
        ExportRequest req = new ExportRequest(model, output, task, shape.request(), numCores, instanceType, optlevel,
                cacheDir);
        Map<String, String> env = System.getenv();
        HubConfig hubConfig = HubConfig.fromEnvironment(env);
        Optional<String> repo = CacheRepo.resolve(repoId, hubConfig, env);
        try (HubClient hub = repo.isPresent() || pushToHub != null ? HubClient.create(hubConfig) : null) {
            ExportResult r = Exporter.export(req, common.settings(), progress, hub, repo.orElse(null));
            if (pushToHub == null) {
                return r;
            }
            progress.progress("push " + pushToHub, -1);
            return r.withPushed(HubFolders.upload(hub, pushToHub, r.exported().folder(), false));
        }
    }

    static String toJson(ExportResult r) {
        ObjectNode root = CommonOptions.JSON.createObjectNode();
        root.put("output", r.exported().folder().toString());
        root.put("backend", r.exported().backend());
        root.put("cache", r.cache());
        root.put("entry", r.entry());
        // A delegated export (optimum-cli) has no module of ours, and no entry for a local model.
        root.put("entry_file", r.entryFile() == null ? null : r.entryFile().toString());
        root.put("module", r.module() == null ? null : r.module().toString());
        root.put("shape", r.exported().shape().toString());
        ArrayNode arts = root.putArray("artifacts");
        r.artifacts().forEach(arts::add);
        ObjectNode mem = root.putObject("memory");
        mem.put("parameters", r.memory().parameters());
        mem.put("weight_bytes", r.memory().weightBytes());
        mem.put("kv_cache_bytes", r.memory().kvCacheBytes());
        ObjectNode tim = root.putObject("timings");
        r.timingsMs().forEach(tim::put);
        if (r.pushed() != null) {
            root.putObject("pushed").put("repo", r.pushed().repo()).put("commit", r.pushed().commit());
        }
        return root.toString();
    }
}
