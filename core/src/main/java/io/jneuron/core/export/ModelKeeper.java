package io.jneuron.core.export;

import io.jneuron.core.Settings;
import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.model.HfTokenizer;
import io.jneuron.core.model.ModelResolver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * The one model a notebook kernel keeps loaded between cells, as a Python user keeps a pipeline object: the next
 * {@code %%neuron_generate} on the same model, shapes and settings runs on it, without loading the weights and
 * running the load's warm-up again (0.3-0.8 s a cell for a ~110M Llama on 2 threads; the first load's 3 s). Its
 * load time there is what {@link io.jneuron.core.backend.LoadedModel#settle} waited (a poll of ~5 ms when the CPU
 * runtime's compiler is idle).
 *
 * <p>MODEL is resolved on every call ({@link ModelOpener#prepare}: a re-export or a new compile cache entry is seen),
 * and the kept model is used only when the artifact file is the very one it was loaded from (path, size,
 * modification time, file key), as is the tokenizer.json beside it; anything else closes it first (its memory, its
 * NeuronCores) and loads the new one. One cell runs at a time: a caller uses the model it got until its next call.
 */
public final class ModelKeeper implements AutoCloseable {
    private Key key;
    private ModelOpener.Opened kept;
    private int loads;

    /**
     * MODEL opened as {@link ModelOpener#open(ModelResolver, String, ShapeRequest, Settings, ProgressListener, boolean)}
     * does, from the kept model when it is the same; closing the result leaves the model to this keeper.
     */
    public synchronized ModelOpener.Opened open(ModelResolver resolver, String model, ShapeRequest request,
                                                Settings settings, ProgressListener progress, boolean tokenizer) {
        long t0 = System.nanoTime();
        ModelOpener.Prepared prepared = ModelOpener.prepare(resolver, model, request, settings, progress);
        double exportMs = (System.nanoTime() - t0) / 1e6;
        Key k = Key.of(prepared.exported(), settings, tokenizer);
        if (kept != null && k.equals(key)) {
            // Its load time is the wait for what the runtime needs settled first (see LoadedModel.settle).
            return kept.keptBy(this, kept.model().settle() / 1e6, exportMs, prepared.compiled());
        }
        // The old model goes before the new one loads: two sets of weights at once could be more than the machine has.
        discard();
        ModelOpener.Opened opened = ModelOpener.load(prepared, model, settings, progress, tokenizer, exportMs);
        loads++;
        kept = opened;
        key = k;
        return opened.keptBy(this, opened.loadMs(), exportMs, prepared.compiled());
    }

    /** Closes the kept model, if any; the next {@link #open} loads (see {@link ModelOpener.Opened#use}). */
    public synchronized void discard() {
        ModelOpener.Opened o = kept;
        kept = null;
        key = null;
        if (o != null) {
            o.close();
        }
    }

    /** How many models this keeper has loaded. */
    public synchronized int loads() {
        return loads;
    }

    /** Whether a model is kept (for tests and status lines). */
    public synchronized boolean holding() {
        return kept != null;
    }

    @Override
    public void close() {
        discard();
    }

    /** What a kept model was loaded from and with. */
    private record Key(ExportedModel exported, Stamp artifact, Stamp tokenizerJson, Settings settings,
                       boolean tokenizer) {
        static Key of(ExportedModel exported, Settings settings, boolean tokenizer) {
            return new Key(exported, Stamp.of(exported.artifactPath()),
                    tokenizer ? Stamp.of(exported.folder().resolve(HfTokenizer.TOKENIZER_JSON)) : null,
                    settings, tokenizer);
        }
    }

    /**
     * A file's identity and version: a rewritten or replaced file differs in one of them. A file whose attributes
     * cannot be read gets a stamp equal to no other, so the model is loaded again.
     */
    private record Stamp(Path path, long size, FileTime modified, Object fileKey) {
        static Stamp of(Path p) {
            Path abs = p.toAbsolutePath().normalize();
            try {
                BasicFileAttributes a = Files.readAttributes(abs, BasicFileAttributes.class);
                return new Stamp(abs, a.size(), a.lastModifiedTime(), a.fileKey());
            } catch (NoSuchFileException e) {
                return new Stamp(abs, -1, null, null);
            } catch (IOException e) {
                return new Stamp(abs, -1, null, new Object());
            }
        }
    }
}
