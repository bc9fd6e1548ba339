package io.jneuron.core.export;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.files.AtomicFiles;
import io.jneuron.core.model.ModelSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** Writes an export's output folder: the checkpoint's side files, the artifact, then {@code neuron_config.json}. */
final class ExportFolder {
    private ExportFolder() {
    }

    /**
     * Builds the folder beside its final place and swaps it in, so a failure leaves the old export (or
     * nothing) rather than a mix. The artifact is hard-linked from the cache when the file system allows
     * (instant, and survives a cache cleanup), copied otherwise.
     *
     * @return the file names written
     */
    static List<String> assemble(Path checkpoint, Path cachedArtifact, ExportedModel exported) {
        Path out = exported.folder().toAbsolutePath().normalize();
        if (Files.exists(out) && !ExportedModel.isExported(out) && !isEmptyDir(out)) {
            throw new NeuronKernelException("output folder " + out + " exists and is not an exported model; choose "
                    + "another folder or remove it");
        }
        refuseForeignFiles(out);
        Path tmp = null;
        try {
            Files.createDirectories(out.getParent());
            tmp = Files.createTempDirectory(out.getParent(), "." + out.getFileName() + ".tmp");
            List<String> names = new ArrayList<>();
            for (String side : ModelSource.SIDE_FILES) {
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
            AtomicFiles.deleteTree(out);
            AtomicFiles.move(tmp, out);
            tmp = null;
            return names;
        } catch (IOException e) {
            throw new NeuronKernelException("cannot write the export to " + out + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                AtomicFiles.deleteTreeQuietly(tmp);
            }
        }
    }

    /** An earlier export is replaced whole, so a file the user put beside it would be lost: refused instead. */
    private static void refuseForeignFiles(Path out) {
        if (!ExportedModel.isExported(out)) {
            return;
        }
        java.util.Set<String> ours = new java.util.HashSet<>();
        // Top-level names only: a side file in a subfolder (sentence-transformers' 1_Pooling/config.json) makes
        // the subfolder ours, else re-exporting an encoder into its own folder would be refused.
        ModelSource.SIDE_FILES.forEach(f -> ours.add(f.split("/")[0]));
        ours.add(ExportedModel.NEURON_CONFIG);
        try {
            ours.add(ExportedModel.read(out).artifact());
        } catch (RuntimeException unreadable) {
            // a damaged manifest names no artifact: any other file counts as the user's
        }
        List<String> foreign;
        try (var s = Files.list(out)) {
            foreign = s.map(p -> p.getFileName().toString()).filter(n -> !ours.contains(n)).sorted().toList();
        } catch (IOException e) {
            throw new NeuronKernelException("cannot list the output folder " + out + ": " + e.getMessage(), e);
        }
        if (!foreign.isEmpty()) {
            throw new NeuronKernelException("output folder " + out + " holds files no export wrote (" + String.join(", ", foreign)
                    + "); re-exporting replaces the whole folder, so move them out or choose another output folder");
        }
    }

    private static boolean isEmptyDir(Path p) {
        try (var s = Files.list(p)) {
            return Files.isDirectory(p) && s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }
}
