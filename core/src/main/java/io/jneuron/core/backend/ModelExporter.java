package io.jneuron.core.backend;

import io.jneuron.core.shape.ShapeSpec;

import java.nio.file.Path;
import java.util.List;

/**
 * A backend's way to export a whole model through an external tool when its {@link Compiler} cannot
 * take a checkpoint itself (Neuron: tracing to HLO needs torch-xla, so {@code optimum-cli export
 * neuron} does it). The tool writes the output folder and, where it applies, the registry entry.
 */
public interface ModelExporter {
    /**
     * @param model        a Hub id, or a local checkpoint folder
     * @param cores        tensor-parallel degree
     * @param instanceType trn1, inf2, trn1n or trn2; null lets the tool decide (it needs a device then)
     * @param cacheDir     compile cache root as given by the user, or null for the environment's
     * @param autoCast     optimum's {@code --auto_cast}: "matmul" or "all", or null for none
     */
    record Request(String model, String task, ShapeSpec shape, int cores, String instanceType, String optlevel,
                   Path output, String cacheDir, String autoCast) {
    }

    /** What the tool left: the output folder, and the registry entry (null entry when none was filed). */
    record Result(Path output, String compilerVersion, String entry, Path entryFile, List<String> files) {
    }

    Result export(Request request, ProgressListener progress);
}
