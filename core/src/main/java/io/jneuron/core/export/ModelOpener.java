package io.jneuron.core.export;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.Settings;
import io.jneuron.core.backend.Backend;
import io.jneuron.core.backend.BackendProvider;
import io.jneuron.core.backend.Backends;
import io.jneuron.core.backend.LoadedModel;
import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.model.Checkpoint;
import io.jneuron.core.model.HfTokenizer;
import io.jneuron.core.model.TextTokenizer;
import io.jneuron.core.shape.ShapeSpec;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns what a user typed as MODEL into a loaded model: an exported folder is loaded as is; a
 * checkpoint folder (or a model already in the local Hugging Face cache) is exported on the fly into
 * jneuron's export cache first, and that export is reused next time.
 */
public final class ModelOpener {
    private ModelOpener() {
    }

    /** A loaded model with its tokenizer (null when the folder has none) and backend; close it after use. */
    public record Opened(Backend backend, LoadedModel model, TextTokenizer tokenizer, ExportedModel exported,
                         double loadMs, double exportMs) implements AutoCloseable {
        @Override
        public void close() {
            try (Backend b = backend; LoadedModel m = model) {
                if (tokenizer != null) {
                    tokenizer.close();
                }
            }
        }
    }

    /** Resolves MODEL to an exported folder, exporting a checkpoint on the fly (cached) when needed. */
    public static ExportedModel prepare(String model, ShapeRequest request, Settings settings,
                                        ProgressListener progress) {
        Path folder = LocalModels.resolve(model);
        if (ExportedModel.isExported(folder)) {
            ExportedModel exported = ExportedModel.read(folder);
            request.checkMatches(exported.shape(), model);
            return exported;
        }
        Checkpoint ckpt = Checkpoint.open(folder);
        ShapeSpec shape = request.resolve(ckpt.config());
        return OnTheFlyExport.export(ckpt, model, shape, settings, progress);
    }

    public static Opened open(String model, ShapeRequest request, Settings settings, ProgressListener progress) {
        return open(model, request, settings, progress, true);
    }

    /** As {@link #open(String, ShapeRequest, Settings, ProgressListener)}; {@code tokenizer=false} skips it (ids only). */
    public static Opened open(String model, ShapeRequest request, Settings settings, ProgressListener progress,
                              boolean tokenizer) {
        long t0 = System.nanoTime();
        ExportedModel exported = prepare(model, request, settings, progress);
        double exportMs = (System.nanoTime() - t0) / 1e6;
        long t1 = System.nanoTime();
        if (settings.backend() != null && !settings.backend().equals(exported.backend())) {
            throw new NeuronKernelException(model + " was compiled for backend '" + exported.backend()
                    + "', not '" + settings.backend() + "'; re-export with --backend " + settings.backend());
        }
        BackendProvider provider = Backends.select(settings.withBackend(exported.backend()));
        Backend backend = provider.create(settings);
        LoadedModel loaded;
        try {
            progress.progress("load", -1);
            loaded = backend.runtime().load(exported.artifactPath());
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
        double loadMs = (System.nanoTime() - t1) / 1e6;
        TextTokenizer tok = null;
        if (tokenizer && Files.isRegularFile(exported.folder().resolve("tokenizer.json"))) {
            try {
                tok = HfTokenizer.open(exported.folder());
            } catch (RuntimeException e) {
                loaded.close();
                backend.close();
                throw e;
            }
        }
        return new Opened(backend, loaded, tok, exported, loadMs, exportMs);
    }
}
