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
import io.jneuron.core.cache.RegistryEntry;
import io.jneuron.core.cache.WrittenEntry;
import io.jneuron.core.hub.HubClient;
import io.jneuron.core.hub.HubException;
import io.jneuron.core.model.Checkpoint;
import io.jneuron.core.model.ModelResolver;
import io.jneuron.core.model.ModelSource;
import io.jneuron.core.shape.DType;
import io.jneuron.core.shape.ShapeSpec;

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
        return export(ModelResolver.fromEnvironment(), req, settings, progress, hub, repo);
    }

    /** As above, with MODEL resolved by {@code resolver} (a Hub id is downloaded into the Hugging Face cache). */
    public static ExportResult export(ModelResolver resolver, ExportRequest req, Settings settings,
                                      ProgressListener progress, HubClient hub, String repo) {
        AutoCast cast = AutoCast.of(req.autoCast(), req.shape().dtype()); // refuses a contradiction before any work
        Map<String, Double> timings = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        progress.progress("resolve", -1);
        ModelSource src = resolver.resolve(req.model(), ModelResolver.Need.RUN);
        if (src.exported()) {
            throw new NeuronKernelException(req.model() + " is an exported model already; export its checkpoint, or "
                    + "run it with generate");
        }
        Checkpoint ckpt = Checkpoint.open(src.folder());
        long t1 = lap(timings, "resolve_ms", t0);

        progress.progress("plan", -1);
        String task = req.task() == null ? TaskShapes.TEXT_GENERATION : req.task();
        TaskShapes.check(task, req.shape().batchSize(), req.shape().sequenceLength());
        TaskShapes.checkModel(task, ckpt);
        // The export copies the tokenizer files; a broken one is refused now, naming the user's file, not the copy.
        resolver.checkTokenizer(src);
        ShapeSpec shape = cast.apply(req.shape()).resolve(ckpt.config());
        int cores = req.numCores() == null ? 1 : req.numCores();
        try (Backend backend = Backends.selectForExport(settings).create(settings)) {
            Optional<ModelExporter> delegate = backend.modelExporter();
            if (delegate.isPresent()) {
                MemoryPlan memory = plan(ckpt, shape, backend, cores);
                long tp = lap(timings, "plan_ms", t1);
                ModelExporter.Result r = delegate.get().export(new ModelExporter.Request(req.model(), task, shape, cores,
                        req.instanceType(), req.optlevel(), req.output(), req.cacheDir(), cast.recorded()), progress);
                lap(timings, "compile_ms", tp);
                timings.put("total_ms", (System.nanoTime() - t0) / 1e6);
                ExportedModel exported = new ExportedModel(r.output(), backend.name(), r.compilerVersion(), shape, null,
                        src.modelId(), src.revision(), task, r.entry());
                return new ExportResult(exported, ExportResult.MISS, r.entry(), r.entryFile(), null, r.files(), memory,
                        timings, null);
            }
            if ("all".equals(cast.recorded()) && backend.name().equals("cpu")) {
                throw new NeuronKernelException("--auto_cast all casts every operation; the cpu backend casts the "
                        + "matmul weights and keeps activations in fp32: use --auto_cast matmul, or --backend neuron");
            }
            CompiledModule m = compile(src, ckpt, backend, new Target(task, shape, cores, req.instanceType(),
                    req.optlevel(), req.cacheDir(), cast.recorded()), hub, repo, progress);
            timings.put("plan_ms", (System.nanoTime() - t1) / 1e6 - m.compileMs());
            timings.put("compile_ms", m.compileMs());
            long t3 = System.nanoTime();
            progress.progress("store", -1);
            ExportedModel exported = new ExportedModel(req.output(), m.backend(), m.compilerVersion(), shape, m.artifact(),
                    m.modelId(), m.revision(), task, m.entry());
            List<String> artifacts = ExportFolder.assemble(ckpt.directory(), m.artifactPath(), exported);
            lap(timings, "store_ms", t3);
            timings.put("total_ms", (System.nanoTime() - t0) / 1e6);
            return new ExportResult(exported, m.cache(), m.entry(), m.entryFile(), m.module(), artifacts, m.memory(),
                    timings, null);
        }
    }

    /**
     * What to compile a checkpoint for.
     *
     * @param cacheDir compile cache root as given by the user, or null to resolve it from the environment
     * @param autoCast the registry's {@code auto_cast}: null (none), "matmul" or "all" ({@link AutoCast})
     */
    public record Target(String task, ShapeSpec shape, int cores, String instanceType, String optlevel, String cacheDir,
                         String autoCast) {
        /** The {@code auto_cast} the shape's dtype implies (an on-the-fly compile, where no option sets it). */
        public Target(String task, ShapeSpec shape, int cores, String instanceType, String optlevel, String cacheDir) {
            this(task, shape, cores, instanceType, optlevel, cacheDir, AutoCast.implied(shape.dtype()));
        }
    }

    /**
     * The compiled module of a checkpoint for {@code target}: from the local compile cache, else from the Hub
     * cache repo {@code repo} (when given), else compiled once now under the module's lock; its registry entry
     * is filed either way. The one path behind {@code export} and an on-the-fly {@code generate}.
     */
    public static CompiledModule compile(ModelSource src, Checkpoint ckpt, Backend backend, Target target,
                                         HubClient hub, String repo, ProgressListener progress) {
        MemoryPlan memory = plan(ckpt, target.shape(), backend, target.cores());
        io.jneuron.core.backend.Compiler compilerImpl = Backends.compiler(backend);
        String version = compilerImpl.version();
        CompilerId compiler = new CompilerId("jneuron-" + backend.name(), version);
        Map<String, Object> neuronConfig = TaskShapes.isEncoderTask(target.task())
                ? EncoderEntries.neuronConfig(backend.name(), version, ckpt.config(), target.task(), target.shape(),
                target.cores(), target.instanceType(), target.optlevel(), target.autoCast())
                : neuronConfig(backend.name(), version, src.modelId(), src.revision(), target.shape(), target.cores(),
                target.instanceType(), target.optlevel(), target.autoCast());
        RegistryEntry entry = RegistryEntry.create(src.config(), neuronConfig, src.modelId(), target.task());
        String hash = entry.hash();
        CacheRoot root = CacheRoot.resolve(target.cacheDir(), System.getenv());
        CompileCache cache = root.compileCache(compiler);

        long t0 = System.nanoTime();
        String artifact = "model." + backend.name();
        Optional<CompileOutcome> fromHub = fromHub(hub, repo, cache, hash, progress);
        progress.progress("compile", 0);
        CompileOutcome outcome = fromHub.isPresent() ? fromHub.get() : cache.compileOnce(hash, workDir ->
                compilerImpl.compile(ckpt, target.shape(), workDir.resolve(artifact), progress));
        WrittenEntry written = root.registry().write(compiler, entry);
        String state = !outcome.compiled() ? ExportResult.HIT_LOCAL
                : fromHub.isPresent() ? ExportResult.HIT_HUB : ExportResult.MISS;
        progress.progress(switch (state) {
            case ExportResult.MISS -> "compiled";
            case ExportResult.HIT_HUB -> "cache hit (hub)";
            default -> "cache hit (local)";
        }, 1);
        return new CompiledModule(backend.name(), version, src.modelId(), src.revision(), target.task(), target.shape(),
                hash, written.canonical(), outcome.module().path(), artifact, state, memory,
                (System.nanoTime() - t0) / 1e6);
    }

    /** Refuses what cannot fit before any work starts. */
    private static MemoryPlan plan(Checkpoint ckpt, ShapeSpec shape, Backend backend, int cores) {
        boolean neuron = !backend.name().equals("cpu");
        if (cores < 1) {
            throw new NeuronKernelException("--num_cores must be at least 1, got " + cores);
        }
        if (!neuron && cores != 1) {
            throw new NeuronKernelException("--num_cores " + cores + " needs the neuron backend; the cpu backend runs "
                    + "one model per process (use --threads for CPU parallelism)");
        }
        MemoryPlan memory = MemoryPlan.of(ckpt.config(), shape, neuron, cores);
        memory.check();
        return memory;
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

    /**
     * The {@code neuron} section of the registry entry; key names follow NxD's so lookups read them, plus the
     * compiler settings optimum's traced entries record ({@code auto_cast}, {@code auto_cast_type}, {@code optlevel}).
     */
    static Map<String, Object> neuronConfig(String backend, String version, String modelId, String revision,
                                            ShapeSpec shape, int cores, String instanceType, String optlevel,
                                            String autoCast) {
        Map<String, Object> n = new TreeMap<>();
        n.put("_serialized_key", "JNeuron" + Character.toUpperCase(backend.charAt(0)) + backend.substring(1) + "Config");
        n.put("compiler_type", "jneuron-" + backend);
        n.put("compiler_version", version);
        n.put("checkpoint_id", modelId);
        n.put("checkpoint_revision", revision);
        n.put("batch_size", (long) shape.batchSize());
        n.put("sequence_length", (long) shape.sequenceLength());
        n.put("buckets", shape.buckets().sizes().stream().map(b -> (Object) (long) b).toList());
        n.put("tp_degree", (long) cores);
        n.put("auto_cast", autoCast);
        if (shape.dtype() == DType.INT8) {
            // NxD Inference's keys for weight-only quantization; activations stay fp32 here.
            n.put("torch_dtype", DType.FP32.torchName());
            n.put("auto_cast_type", DType.FP32.cliName());
            n.put("quantized", true);
            n.put("quantization_dtype", "int8");
            n.put("quantization_type", "per_channel_symmetric");
        } else {
            n.put("torch_dtype", shape.dtype().torchName());
            n.put("auto_cast_type", shape.dtype().cliName());
        }
        n.put("target", instanceType == null ? backend : instanceType);
        n.put("optlevel", optlevel == null ? "2" : optlevel);
        return n;
    }

    private static long lap(Map<String, Double> timings, String name, long since) {
        long now = System.nanoTime();
        timings.put(name, (now - since) / 1e6);
        return now;
    }
}
