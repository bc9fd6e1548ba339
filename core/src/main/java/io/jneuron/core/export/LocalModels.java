package io.jneuron.core.export;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.hub.HubConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resolves MODEL as typed by a user: a folder, or a Hub id ({@code org/name}) already in the local
 * Hugging Face cache ({@code $HF_HOME/hub/models--org--name/snapshots/<revision>}, revision from
 * {@code refs/main}).
 */
public final class LocalModels {
    private LocalModels() {
    }

    public static Path resolve(String model) {
        Path p = Path.of(model);
        if (Files.isDirectory(p)) {
            return p.toAbsolutePath().normalize();
        }
        if (model.matches("[A-Za-z0-9][\\w.\\-]*(/[\\w.\\-]+)?")) {
            Path repo = HubConfig.fromEnvironment().hubCache().resolve("models--" + model.replace("/", "--"));
            Path ref = repo.resolve("refs").resolve("main");
            if (Files.isRegularFile(ref)) {
                try {
                    String rev = Files.readString(ref, StandardCharsets.UTF_8).trim();
                    Path snap = repo.resolve("snapshots").resolve(rev);
                    if (rev.matches("[0-9a-f]{6,64}") && Files.isDirectory(snap)) {
                        return snap;
                    }
                } catch (IOException e) {
                    throw new NeuronKernelException("cannot read " + ref + ": " + e.getMessage(), e);
                }
            }
        }
        if (model.matches("[A-Za-z0-9][\\w.\\-]*/[\\w.\\-]+")) {
            HubConfig config = HubConfig.fromEnvironment();
            if (!config.offline()) {
                return HubModels.download(model, config);
            }
        }
        throw new NeuronKernelException("model '" + model + "' is neither a folder nor a model in the local Hugging Face "
                + "cache (" + hubHome().resolve("hub") + "); give a checkpoint or exported folder"
                + (model.contains("/") ? ", or unset HF_HUB_OFFLINE to download it" : ""));
    }

    /** {@code HF_HOME}, else {@code $XDG_CACHE_HOME/huggingface}, else {@code ~/.cache/huggingface}. */
    public static Path hubHome() {
        String hf = System.getenv("HF_HOME");
        if (hf != null && !hf.isBlank()) {
            return Path.of(hf);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("huggingface");
    }
}
