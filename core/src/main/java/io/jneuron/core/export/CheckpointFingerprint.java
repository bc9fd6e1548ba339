package io.jneuron.core.export;

import io.jneuron.core.NeuronKernelException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Stands in for {@code checkpoint_revision} when a model comes from a local folder (a Hub download
 * has its commit sha): 40 hex of SHA-256 over every file's name, size and modification time. Cheap
 * (no weights are read) and it changes whenever a file is rewritten, so two local checkpoints with
 * the same config never share a cache entry.
 */
public final class CheckpointFingerprint {
    private CheckpointFingerprint() {
    }

    public static String of(Path folder) {
        try {
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder)) {
                ds.forEach(files::add);
            }
            files.sort(null);
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Path f : files) {
                if (Files.isRegularFile(f)) {
                    String line = f.getFileName() + "\t" + Files.size(f) + "\t" + Files.getLastModifiedTime(f).toMillis() + "\n";
                    md.update(line.getBytes(StandardCharsets.UTF_8));
                }
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 40);
        } catch (IOException e) {
            throw new NeuronKernelException("cannot read " + folder + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
