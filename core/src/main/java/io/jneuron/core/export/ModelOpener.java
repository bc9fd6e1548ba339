package io.jneuron.core.export;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.Settings;
import io.jneuron.core.backend.Backend;
import io.jneuron.core.backend.BackendProvider;
import io.jneuron.core.backend.Backends;
import io.jneuron.core.backend.LoadedModel;
import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.generate.GenerationInterruptedException;
import io.jneuron.core.model.ByteLevelBpeTokenizer;
import io.jneuron.core.model.Checkpoint;
import io.jneuron.core.model.HfTokenizer;
import io.jneuron.core.model.ModelResolver;
import io.jneuron.core.model.ModelSource;
import io.jneuron.core.model.TextTokenizer;
import io.jneuron.core.shape.ShapeSpec;

import java.nio.file.Files;
import java.util.function.Function;

/**
 * Turns what a user typed as MODEL into a loaded model. MODEL is resolved once ({@link ModelResolver}): an
 * exported folder (local, or a Hub repo holding one, downloaded into the Hugging Face cache) is loaded as
 * is; a checkpoint is compiled through the same path as {@code export} ({@link Exporter#compile}: compile
 * cache, lock, registry) and its artifact is loaded from the cache module, so the second run is a hit.
 */
public final class ModelOpener {
    /**
     * Set by {@code bin/jneuron}: a command-line process opens one model and ends, so the garbage before the load is
     * worth a full collection (-10 MiB of peak RSS, bench/README.md, eighth session); a kernel's heap is larger and
     * lives on, and is left to its collector.
     */
    private static final String COMPACT_BEFORE_LOAD = "jneuron.compactBeforeLoad";

    private ModelOpener() {
    }

    /**
     * A loaded model with its tokenizer (null when the folder has none) and backend; close it after use.
     *
     * @param compiled the compile of a checkpoint on the fly, or null when MODEL was an exported folder
     */
    public record Opened(Backend backend, LoadedModel model, TextTokenizer tokenizer, ExportedModel exported,
                         double loadMs, double exportMs, CompiledModule compiled, ModelKeeper keeper)
            implements AutoCloseable {
        Opened(Backend backend, LoadedModel model, TextTokenizer tokenizer, ExportedModel exported, double loadMs,
               double exportMs, CompiledModule compiled) {
            this(backend, model, tokenizer, exported, loadMs, exportMs, compiled, null);
        }

        /**
         * The same model as {@code keeper} holds it: closing it leaves the model open, and its times are this call's
         * ({@code loadMs} 0 when nothing was loaded).
         */
        Opened keptBy(ModelKeeper keeper, double loadMs, double exportMs, CompiledModule compiled) {
            return new Opened(backend, model, tokenizer, exported, loadMs, exportMs, compiled, keeper);
        }

        /** Whether a {@link ModelKeeper} holds this model beyond this call. */
        public boolean kept() {
            return keeper != null;
        }

        /**
         * {@code body} on this model. When it fails, a kept model's keeper closes the model rather than trust it with
         * the next call (a native runtime's error, an OutOfMemoryError); an interrupt stops a generation between steps
         * and closes its session, so the model stays.
         */
        public <T> T use(Function<Opened, T> body) {
            try {
                return body.apply(this);
            } catch (RuntimeException | Error e) {
                if (keeper != null && !(e instanceof GenerationInterruptedException)) {
                    keeper.discard();
                }
                throw e;
            }
        }

        /** Closes the model, its tokenizer and backend, unless a {@link ModelKeeper} holds them ({@link #kept}). */
        @Override
        public void close() {
            if (keeper != null) {
                return;
            }
            try (Backend b = backend; LoadedModel m = model) {
                if (tokenizer != null) {
                    tokenizer.close();
                }
            }
        }
    }

    /** {@link #prepare(ModelResolver, String, ShapeRequest, Settings, ProgressListener)} resolving from the environment. */
    public static Prepared prepare(String model, ShapeRequest request, Settings settings, ProgressListener progress) {
        return prepare(ModelResolver.fromEnvironment(), model, request, settings, progress);
    }

    /**
     * An exported model ready to load, and the on-the-fly compile that made it (null for an exported folder).
     * For a compiled checkpoint the export's folder is the checkpoint (tokenizer, special tokens) and its
     * artifact is the compile cache module's file.
     */
    public record Prepared(ExportedModel exported, CompiledModule compiled) {
    }

    /** Resolves MODEL to an exported model, compiling a checkpoint through the compile cache when needed. */
    public static Prepared prepare(ModelResolver resolver, String model, ShapeRequest request, Settings settings,
                                   ProgressListener progress) {
        progress.progress("resolve", -1);
        ModelSource src = resolver.resolve(model, ModelResolver.Need.RUN);
        if (src.exported()) {
            ExportedModel exported = ExportedModel.read(src.folder());
            request.checkMatches(exported.shape(), model);
            return new Prepared(exported, null);
        }
        Checkpoint ckpt = Checkpoint.open(src.folder());
        ShapeSpec shape = request.resolve(ckpt.config());
        BackendProvider provider = Backends.select(settings);
        try (Backend backend = provider.create(settings)) {
            CompiledModule m = Exporter.compile(src, ckpt, backend, new Exporter.Target(TaskShapes.defaultTask(ckpt), shape,
                    1, null, null, settings.cacheDir()), null, null, progress);
            return new Prepared(ExportedModel.compiledInCache(src.folder(), m), m);
        }
    }

    public static Opened open(String model, ShapeRequest request, Settings settings, ProgressListener progress) {
        return open(model, request, settings, progress, true);
    }

    /** As {@link #open(String, ShapeRequest, Settings, ProgressListener)}; {@code tokenizer=false} skips it (ids only). */
    public static Opened open(String model, ShapeRequest request, Settings settings, ProgressListener progress,
                              boolean tokenizer) {
        return open(ModelResolver.fromEnvironment(), model, request, settings, progress, tokenizer);
    }

    /** As below, through {@code models} when it is not null (a kernel's keeper: the model outlives the call). */
    public static Opened open(ModelKeeper models, ModelResolver resolver, String model, ShapeRequest request,
                              Settings settings, ProgressListener progress, boolean tokenizer) {
        return models == null ? open(resolver, model, request, settings, progress, tokenizer)
                : models.open(resolver, model, request, settings, progress, tokenizer);
    }

    /** As above, with MODEL resolved by {@code resolver}. */
    public static Opened open(ModelResolver resolver, String model, ShapeRequest request, Settings settings,
                              ProgressListener progress, boolean tokenizer) {
        long t0 = System.nanoTime();
        Prepared prepared = prepare(resolver, model, request, settings, progress);
        return load(prepared, model, settings, progress, tokenizer, (System.nanoTime() - t0) / 1e6);
    }

    /** Loads what {@link #prepare} resolved MODEL to; {@code exportMs} is the time that took. */
    static Opened load(Prepared prepared, String model, Settings settings, ProgressListener progress,
                       boolean tokenizer, double exportMs) {
        ExportedModel exported = prepared.exported();
        if (settings.backend() != null && !settings.backend().equals(exported.backend())) {
            throw new NeuronKernelException(model + " was compiled for backend '" + exported.backend()
                    + "', not '" + settings.backend() + "'; re-export with --backend " + settings.backend());
        }
        // The tokenizer first: opening it loads classes (DJL's also its native library), and the
        // deoptimizations and compilations that sets off belong before the model's warm-up, which waits for
        // the compiler to go quiet, not inside the first prefill (bench/README.md, sixth session).
        TextTokenizer tok = null;
        // exists, not isRegularFile: a folder or FIFO in its place is an error naming it, not "no tokenizer".
        if (tokenizer && Files.exists(exported.folder().resolve(HfTokenizer.TOKENIZER_JSON))) {
            tok = openTokenizer(exported);
        }
        long t1 = System.nanoTime();
        if (Boolean.getBoolean(COMPACT_BEFORE_LOAD)) {
            // What resolving and the tokenizer left (~10 MB: a streamed tokenizer.json's strings, or DJL's UTF-16 copy of
            // the whole file) was promoted by the young collections it set off; one full collection now, counted in
            // the load time, keeps it out of the process's peak RSS.
            System.gc();
        }
        Backend backend = null;
        LoadedModel loaded;
        try {
            BackendProvider provider = Backends.select(settings.withBackend(exported.backend()));
            backend = provider.create(settings);
            progress.progress("load", -1);
            loaded = Backends.runtime(backend).load(exported.artifactPath());
        } catch (RuntimeException e) {
            if (backend != null) {
                backend.close();
            }
            if (tok != null) {
                tok.close();
            }
            throw e;
        }
        double loadMs = (System.nanoTime() - t1) / 1e6;
        return new Opened(backend, loaded, tok, exported, loadMs, exportMs, prepared.compiled());
    }

    /**
     * A decoder's byte-level BPE runs in Java (no native library: less memory and a faster first call), any other
     * tokenizer.json in the Hugging Face library through DJL; encoders' pipelines need its offsets and word ids.
     */
    private static TextTokenizer openTokenizer(ExportedModel exported) {
        if (TaskShapes.TEXT_GENERATION.equals(exported.task())) {
            var java = ByteLevelBpeTokenizer.open(exported.folder());
            if (java.isPresent()) {
                return java.get();
            }
        }
        return HfTokenizer.open(exported.folder());
    }
}
