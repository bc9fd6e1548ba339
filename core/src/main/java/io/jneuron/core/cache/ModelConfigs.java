package io.jneuron.core.cache;

import io.jneuron.core.cache.internal.SafePaths;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a model's {@code config.json} without the network: in a local folder, or in the Hub download cache
 * ({@code $HF_HOME/hub/models--org--name/snapshots/<rev>/}). Fetching from the Hub is a later issue.
 */
public final class ModelConfigs {
    private ModelConfigs() {
    }

    /**
     * A located config.
     *
     * @param modelId the Hub id (for a folder: its config's {@code _name_or_path} if that is a Hub id, else null)
     * @param file the config.json read
     * @param revision the snapshot's commit, or null for a plain folder
     * @param config the parsed config
     */
    public record Located(String modelId, Path file, String revision, Map<String, Object> config) {
    }

    /** {@code HF_HOME}, else {@code $XDG_CACHE_HOME/huggingface}, else {@code ~/.cache/huggingface} (spec §3.1). */
    public static Path hfHome(Map<String, String> env) {
        if (notBlank(env.get("HF_HOME"))) {
            return Path.of(env.get("HF_HOME"));
        }
        if (notBlank(env.get("XDG_CACHE_HOME"))) {
            return Path.of(env.get("XDG_CACHE_HOME"), "huggingface");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "huggingface");
    }

    /** {@code HF_HUB_CACHE}, else {@code <hfHome>/hub}. */
    public static Path hubCache(Map<String, String> env) {
        return notBlank(env.get("HF_HUB_CACHE")) ? Path.of(env.get("HF_HUB_CACHE")) : hfHome(env).resolve("hub");
    }

    /**
     * The config of {@code model}: a folder holding {@code config.json}, else a Hub id in {@code hubCache} (the
     * snapshot {@code refs/main} names, else the newest). Empty when neither has it.
     *
     * @throws CacheException when the config exists but is malformed or oversized
     */
    public static Optional<Located> find(String model, Path hubCache) {
        Path dir = Path.of(model);
        if (Files.isRegularFile(dir.resolve("config.json"))) {
            Map<String, Object> cfg = read(dir.resolve("config.json"));
            String id = cfg.get("_name_or_path") instanceof String s && isHubId(s) ? s : null;
            return Optional.of(new Located(id, dir.resolve("config.json"), null, cfg));
        }
        if (!isHubId(model)) {
            return Optional.empty();
        }
        Path repo = hubCache.resolve("models--" + model.replace("/", "--"));
        Optional<Path> snapshot = snapshot(repo);
        if (snapshot.isEmpty() || !Files.isRegularFile(snapshot.get().resolve("config.json"))) {
            return Optional.empty();
        }
        Path file = snapshot.get().resolve("config.json");
        return Optional.of(new Located(model, file, snapshot.get().getFileName().toString(), read(file)));
    }

    private static Optional<Path> snapshot(Path repo) {
        Path snapshots = repo.resolve("snapshots");
        try {
            Path ref = repo.resolve("refs").resolve("main");
            if (Files.isRegularFile(ref)) {
                String rev = Files.readString(ref).trim();
                if (rev.matches("[0-9a-f]{40}") && Files.isDirectory(snapshots.resolve(rev))) {
                    return Optional.of(snapshots.resolve(rev));
                }
            }
            if (!Files.isDirectory(snapshots)) {
                return Optional.empty();
            }
            Path newest = null;
            FileTime newestTime = null;
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(snapshots)) {
                for (Path p : ds) {
                    FileTime t = Files.getLastModifiedTime(p);
                    if (Files.isDirectory(p) && (newestTime == null || t.compareTo(newestTime) > 0)) {
                        newest = p;
                        newestTime = t;
                    }
                }
            }
            return Optional.ofNullable(newest);
        } catch (IOException e) {
            throw new CacheException("cannot read the Hub cache folder " + repo + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> read(Path file) {
        try {
            long size = Files.size(file);
            if (size > OptimumCompat.MAX_ENTRY_BYTES) {
                throw new CacheException(file + ": " + size + " bytes is too large for a config.json");
            }
            return PyJson.parseObject(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new CacheException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    static boolean isHubId(String s) {
        try {
            SafePaths.hubIdSegments(s, "model");
            return true;
        } catch (CacheException e) {
            return false;
        }
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
