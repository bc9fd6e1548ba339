package io.jneuron.core.export;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.Settings;
import io.jneuron.core.backend.Backend;
import io.jneuron.core.backend.Backends;
import io.jneuron.core.backend.ModelExporter;
import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.cache.CacheRoot;
import io.jneuron.core.cache.CompileCache;
import io.jneuron.core.cache.CompileOutcome;
import io.jneuron.core.cache.CompilerId;
import io.jneuron.core.cache.HubModules;
import io.jneuron.core.cache.ModuleState;
import io.jneuron.core.cache.PyJson;
import io.jneuron.core.cache.RegistryEntry;
import io.jneuron.core.cache.WrittenEntry;
import io.jneuron.core.hub.HubClient;
import io.jneuron.core.hub.HubException;
import io.jneuron.core.model.Checkpoint;
import io.jneuron.core.shape.ShapeSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The cache-first export pipeline behind {@code export} and {@code %neuron_export}: resolve the
 * checkpoint, plan shapes and memory (refusing what cannot fit before any work), compute the
 * registry entry, reuse a compiled module from the compile cache or compile it once (shared safely
 * between processes), record the registry entry, and assemble an output folder that
 * {@code generate} loads on its own. Stages are reported as progress events.
 */
public final class Exporter {
    private Exporter() {
    }

    public static ExportResult export(ExportRequest req, Settings settings, ProgressListener progress) {
        return export(req, settings, progress, null, null);
    }

    /**
     * {@link #export(ExportRequest, Settings, ProgressListener)} that, on a local miss, first looks for the module in
     * the Hub cache repo {@code repo} and downloads it instead of compiling ({@link ExportResult#HIT_HUB}). A Hub that
     * cannot be read is reported as a progress stage and the export compiles locally, as optimum's proxy does
     * (spec §3.7). Export never uploads; {@code cache synchronize} does.
     *
     * @param hub  the client to read {@code repo} with (the caller closes it), or null for the local cache only
     * @param repo the cache repo, or null
     */
    public static ExportResult export(ExportRequest req, Settings settings, ProgressListener progress, HubClient hub,
                                      String repo) {
        Map<String, Double> timings = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        progress.progress("resolve", -1);
        Path folder = LocalModels.resolve(req.model());
        boolean local = Files.isDirectory(Path.of(req.model()));
        String modelId = local ? "local/" + folder.getFileName() : req.model();
        String revision = local ? CheckpointFingerprint.of(folder) : folder.getFileName().toString();
        Checkpoint ckpt = Checkpoint.open(folder);
        Map<String, Object> config = readConfig(folder);
        long t1 = lap(timings, "resolve_ms", t0);

        progress.progress("plan", -1);
        String task = req.task() == null ? TaskShapes.TEXT_GENERATION : req.task();
        TaskShapes.check(task, req.shape().batchSize(), req.shape().sequenceLength());
        TaskShapes.checkModel(task, ckpt);
        ShapeSpec shape = req.shape().resolve(ckpt.config().maxPositionEmbeddings());
        try (Backend backend = Backends.selectForExport(settings).create(settings)) {
            boolean neuron = !backend.name().equals("cpu");
            int cores = req.numCores() == null ? 1 : req.numCores();
            if (cores < 1) {
                throw new NeuronKernelException("--num_cores must be at least 1, got " + cores);
            }
            if (!neuron && cores != 1) {
                throw new NeuronKernelException("--num_cores " + cores + " needs the neuron backend; the cpu backend runs "
                        + "one model per process (use --threads for CPU parallelism)");
            }
            MemoryPlan memory = MemoryPlan.of(ckpt.config(), shape, neuron, cores);
            memory.check();
            Optional<ModelExporter> delegate = backend.modelExporter();
            if (delegate.isPresent()) {
                long tp = lap(timings, "plan_ms", t1);
                ModelExporter.Result r = delegate.get().export(new ModelExporter.Request(req.model(), task, shape, cores,
                        req.instanceType(), req.optlevel(), req.output(), req.cacheDir()), progress);
                lap(timings, "compile_ms", tp);
                timings.put("total_ms", (System.nanoTime() - t0) / 1e6);
                ExportedModel exported = new ExportedModel(r.output(), backend.name(), r.compilerVersion(), shape, null,
                        modelId, revision, task, r.entry());
                return new ExportResult(exported, ExportResult.MISS, r.entry(), r.entryFile(), null, r.files(), memory,
                        timings);
            }
            String version = backend.compiler().version();
            CompilerId compiler = new CompilerId("jneuron-" + backend.name(), version);
            Map<String, Object> neuronConfig = TaskShapes.isEncoderTask(task)
                    ? EncoderEntries.neuronConfig(backend.name(), version, ckpt.config(), task, shape, cores,
                    req.instanceType(), req.optlevel())
                    : neuronConfig(backend.name(), version, modelId, revision, shape, cores, req.instanceType(),
                    req.optlevel());
            RegistryEntry entry = RegistryEntry.create(config, neuronConfig, modelId, task);
            String hash = entry.hash();
            CacheRoot root = CacheRoot.resolve(req.cacheDir(), System.getenv());
            CompileCache cache = root.compileCache(compiler);
            long t2 = lap(timings, "plan_ms", t1);

            String artifact = "model." + backend.name();
            Optional<CompileOutcome> fromHub = fromHub(hub, repo, cache, hash, progress);
            progress.progress("compile", 0);
            CompileOutcome outcome = fromHub.isPresent() ? fromHub.get() : cache.compileOnce(hash, workDir ->
                    backend.compiler().compile(ckpt, shape, workDir.resolve(artifact), progress));
            WrittenEntry written = root.registry().write(compiler, entry);
            String cacheState = !outcome.compiled() ? ExportResult.HIT_LOCAL
                    : fromHub.isPresent() ? ExportResult.HIT_HUB : ExportResult.MISS;
            progress.progress(switch (cacheState) {
                case ExportResult.MISS -> "compiled";
                case ExportResult.HIT_HUB -> "cache hit (hub)";
                default -> "cache hit (local)";
            }, 1);
            long t3 = lap(timings, "compile_ms", t2);

            progress.progress("store", -1);
            ExportedModel exported = new ExportedModel(req.output(), backend.name(), version, shape, artifact, modelId,
                    revision, task, hash);
            List<String> artifacts = assemble(ckpt.directory(), outcome.module().path().resolve(artifact), exported);
            lap(timings, "store_ms", t3);
            timings.put("total_ms", (System.nanoTime() - t0) / 1e6);
            return new ExportResult(exported, cacheState, hash, written.canonical(), outcome.module().path(), artifacts,
                    memory, timings);
        }
    }

    /** The module from the Hub when the local cache lacks it and the repo has it complete; else empty. */
    private static Optional<CompileOutcome> fromHub(HubClient hub, String repo, CompileCache cache, String hash,
                                                    ProgressListener progress) {
        if (hub == null || repo == null || cache.module(hash).state() == ModuleState.SUCCESS) {
            return Optional.empty();
        }
        progress.progress("hub " + repo, -1);
        try {
            return HubModules.fetch(hub, repo, cache, hash);
        } catch (HubException e) {
            progress.progress("hub-unavailable " + e.getMessage(), -1);
            return Optional.empty();
        }
    }

    /** The {@code neuron} section of the registry entry; key names follow NxD's so lookups read them. */
    static Map<String, Object> neuronConfig(String backend, String version, String modelId, String revision,
                                            ShapeSpec shape, int cores, String instanceType, String optlevel) {
        Map<String, Object> n = new TreeMap<>();
        n.put("_serialized_key", "JNeuron" + Character.toUpperCase(backend.charAt(0)) + backend.substring(1) + "Config");
        n.put("compiler_type", "jneuron-" + backend);
        n.put("compiler_version", version);
        n.put("checkpoint_id", modelId);
        n.put("checkpoint_revision", revision);
        n.put("batch_size", (long) shape.batchSize());
        n.put("sequence_length", (long) shape.sequenceLength());
        List<Object> buckets = new ArrayList<>();
        shape.buckets().sizes().forEach(b -> buckets.add((long) b));
        n.put("buckets", buckets);
        n.put("tp_degree", (long) cores);
        n.put("torch_dtype", shape.dtype().torchName());
        n.put("auto_cast_type", shape.dtype().cliName());
        n.put("target", instanceType == null ? backend : instanceType);
        n.put("optlevel", optlevel == null ? "2" : optlevel);
        return n;
    }

    private static Map<String, Object> readConfig(Path folder) {
        Path file = folder.resolve(Checkpoint.CONFIG);
        try {
            return PyJson.parseObject(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new NeuronKernelException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Builds the output folder beside its final place and swaps it in, so a failure leaves the old
     * export (or nothing) rather than a mix. The artifact is hard-linked from the cache when the
     * file system allows (instant, and survives a cache cleanup), copied otherwise.
     */
    private static List<String> assemble(Path checkpoint, Path cachedArtifact, ExportedModel exported) {
        Path out = exported.folder().toAbsolutePath().normalize();
        if (Files.exists(out) && !ExportedModel.isExported(out) && !isEmptyDir(out)) {
            throw new NeuronKernelException("output folder " + out + " exists and is not an exported model; choose "
                    + "another folder or remove it");
        }
        Path tmp = null;
        try {
            Files.createDirectories(out.getParent());
            tmp = Files.createTempDirectory(out.getParent(), "." + out.getFileName() + ".tmp");
            List<String> names = new ArrayList<>();
            for (String side : OnTheFlyExport.SIDE_FILES) {
                Path src = checkpoint.resolve(side);
                if (Files.isRegularFile(src)) {
                    Files.createDirectories(tmp.resolve(side).getParent());
                    Files.copy(src, tmp.resolve(side));
                    names.add(side);
                }
            }
            Path artifact = tmp.resolve(exported.artifact());
            try {
                Files.createLink(artifact, cachedArtifact);
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(cachedArtifact, artifact, StandardCopyOption.COPY_ATTRIBUTES);
            }
            names.add(exported.artifact());
            exported.at(tmp).write();
            names.add(ExportedModel.NEURON_CONFIG);
            if (Files.exists(out)) {
                OnTheFlyExport.deleteTree(out);
            }
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
            return names;
        } catch (IOException e) {
            throw new NeuronKernelException("cannot write the export to " + out + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                OnTheFlyExport.deleteTree(tmp);
            }
        }
    }

    private static boolean isEmptyDir(Path p) {
        try (var s = Files.list(p)) {
            return Files.isDirectory(p) && s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static long lap(Map<String, Double> timings, String name, long since) {
        long now = System.nanoTime();
        timings.put(name, (now - since) / 1e6);
        return now;
    }
}
