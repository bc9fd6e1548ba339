package io.jneuron.core.model;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.cache.OptimumCompat;
import io.jneuron.core.cache.PyJson;
import io.jneuron.core.files.AtomicFiles;
import io.jneuron.core.hub.HubCache;
import io.jneuron.core.hub.HubClient;
import io.jneuron.core.hub.HubConfig;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The one place that turns MODEL as a user typed it into a {@link ModelSource}, for export, generate,
 * lookup and pipelines alike. MODEL is, in this order:
 * <ol>
 *   <li>a folder (a checkpoint or an exported model); a folder inside the Hugging Face cache keeps its Hub id;</li>
 *   <li>a Hub id ({@code org/name}, or a bare {@code name}) whose snapshot in the local Hugging Face cache
 *       already has what is needed: no request is made;</li>
 *   <li>an {@code org/name} fetched from the Hub into the Hugging Face cache, as huggingface_hub lays it out:
 *       just {@code config.json} when only the config is needed (a lookup, as optimum-cli does), else the
 *       checkpoint's weights and tokenizer, or the whole exported folder a repo holds.</li>
 * </ol>
 * With {@code HF_HUB_OFFLINE} set no connection is made and the error names what is missing. Something
 * that looks like a path but is no folder gets an error about the path, never about downloads.
 *
 * @param clients makes this resolver's Hub clients (tests count requests with it)
 */
public record ModelResolver(HubConfig hubConfig, Function<HubConfig, HubClient> clients) {
    /** What the caller will do with the model, hence what must be on disk. */
    public enum Need {
        /** Only {@code config.json} (lookup). */
        CONFIG,
        /** A checkpoint with its weights, or an exported folder (export, generate, run). */
        RUN
    }

    private static final Pattern HUB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,95}(/[A-Za-z0-9][A-Za-z0-9._-]{0,95})?");
    private static final Pattern SNAPSHOT_REPO = Pattern.compile("models--([A-Za-z0-9][A-Za-z0-9._-]*)--([A-Za-z0-9][A-Za-z0-9._-]*)");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    public ModelResolver(HubConfig hub) {
        this(hub, HubClient::create);
    }

    public static ModelResolver fromEnvironment() {
        return new ModelResolver(HubConfig.fromEnvironment());
    }

    public static ModelResolver fromEnvironment(Map<String, String> env) {
        return new ModelResolver(HubConfig.fromEnvironment(env));
    }

    /** A Hub client for this resolver's configuration; the caller closes it. */
    public HubClient client() {
        return clients.apply(hubConfig);
    }

    /**
     * @throws NeuronKernelException naming MODEL and the next step when it cannot be resolved
     * @throws io.jneuron.core.hub.HubException when the Hub refuses or cannot be reached
     */
    public ModelSource resolve(String model, Need need) {
        if (model == null || model.isBlank()) {
            throw new NeuronKernelException("MODEL is empty; give a folder or a Hub id like org/name");
        }
        Path path;
        try {
            path = Path.of(model);
        } catch (InvalidPathException e) {
            throw new NeuronKernelException("model '" + model + "' is not a valid path or Hub id; check the spelling");
        }
        if (Files.isDirectory(path)) {
            return folder(model, path.toAbsolutePath().normalize(), need);
        }
        if (!isHubId(model)) {
            throw new NeuronKernelException("model '" + model + "' is not a folder (" + (Files.exists(path) ? "it is a file"
                    : "no such directory") + "); check the path");
        }
        HubCache cache = new HubCache(hubConfig.hubCache());
        Optional<Path> snapshot = snapshot(cache, model);
        List<String> missing = snapshot.map(s -> missing(s, need)).orElse(List.of(Checkpoint.CONFIG));
        if (snapshot.isPresent() && missing.isEmpty()) {
            return source(model, snapshot.get(), model, snapshot.get().getFileName().toString(), ModelSource.Origin.HUB_CACHE);
        }
        if (!model.contains("/")) {
            throw new NeuronKernelException("model '" + model + "' is neither a folder nor a model in the local Hugging "
                    + "Face cache (" + hubConfig.hubCache() + "); give a folder, or a Hub id like org/name");
        }
        if (hubConfig.offline()) {
            throw new NeuronKernelException("HF_HUB_OFFLINE is set and " + model + " is not complete in the Hugging Face "
                    + "cache " + cache.repoDir(model) + " (missing " + String.join(", ", missing)
                    + "); unset HF_HUB_OFFLINE to download it, or give a local folder");
        }
        try (HubClient client = client()) {
            Path folder = need == Need.CONFIG ? client.download(model, Checkpoint.CONFIG).getParent()
                    : HubModels.download(client, model, hubConfig.endpoint());
            return source(model, folder, model, folder.getFileName().toString(), ModelSource.Origin.HUB_DOWNLOAD);
        }
    }

    /** A folder the user named; one inside the Hugging Face cache keeps its Hub id and commit. */
    private ModelSource folder(String model, Path folder, Need need) {
        Path parent = folder.getParent();
        Path repo = parent == null ? null : parent.getParent();
        if (repo != null && parent.getFileName().toString().equals("snapshots")
                && COMMIT.matcher(folder.getFileName().toString()).matches()) {
            var m = SNAPSHOT_REPO.matcher(repo.getFileName().toString());
            if (m.matches()) {
                return source(model, folder, m.group(1) + "/" + m.group(2), folder.getFileName().toString(),
                        ModelSource.Origin.FOLDER);
            }
        }
        String revision = need == Need.RUN && !Files.isRegularFile(folder.resolve(ModelSource.EXPORTED_MARKER))
                ? CheckpointFingerprint.of(folder, memoDir()) : null;
        return source(model, folder, ModelSource.LOCAL_PREFIX + folder.getFileName(), revision, ModelSource.Origin.FOLDER);
    }

    private static ModelSource source(String model, Path folder, String id, String revision, ModelSource.Origin origin) {
        return new ModelSource(model, folder, id, revision, readConfig(folder.resolve(Checkpoint.CONFIG)), origin);
    }

    /** What {@code need} requires that the snapshot lacks (empty: complete). */
    private static List<String> missing(Path snapshot, Need need) {
        List<String> out = new ArrayList<>();
        if (!Files.isRegularFile(snapshot.resolve(Checkpoint.CONFIG))) {
            out.add(Checkpoint.CONFIG);
        }
        if (need == Need.RUN && !Files.isRegularFile(snapshot.resolve(ModelSource.EXPORTED_MARKER))) {
            out.addAll(HubModels.missingWeights(snapshot));
        }
        return out;
    }

    /** The snapshot {@code refs/main} names, else the newest one; empty when the repo was never downloaded. */
    private static Optional<Path> snapshot(HubCache cache, String repo) {
        Path snapshots = cache.repoDir(repo).resolve("snapshots");
        Optional<String> main = cache.commitOf(repo, "main");
        if (main.isPresent() && Files.isDirectory(snapshots.resolve(main.get()))) {
            return Optional.of(snapshots.resolve(main.get()));
        }
        if (!Files.isDirectory(snapshots)) {
            return Optional.empty();
        }
        Path newest = null;
        FileTime newestTime = null;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(snapshots)) {
            for (Path p : ds) {
                FileTime t = Files.getLastModifiedTime(p);
                if (Files.isDirectory(p) && COMMIT.matcher(p.getFileName().toString()).matches()
                        && (newestTime == null || t.compareTo(newestTime) > 0)) {
                    newest = p;
                    newestTime = t;
                }
            }
        } catch (IOException e) {
            throw new NeuronKernelException("cannot read the Hugging Face cache folder " + snapshots + ": " + e.getMessage(), e);
        }
        return Optional.ofNullable(newest);
    }

    private static Map<String, Object> readConfig(Path file) {
        if (!Files.exists(file)) {
            throw new ModelFormatException(file + ": file not found");
        }
        try {
            if (!Files.isRegularFile(file)) {
                throw new ModelFormatException(file + ": not a regular file; config.json must be a JSON file");
            }
            long size = Files.size(file);
            if (size > OptimumCompat.MAX_ENTRY_BYTES) {
                throw new ModelFormatException(file + ": " + size + " bytes is too large for a config.json");
            }
            return PyJson.parseObject(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** A Hub id as the Hub spells them: one or two segments, no "--" or ".." (they would alias cache folders). */
    static boolean isHubId(String s) {
        return HUB_ID.matcher(s).matches() && !s.contains("--") && !s.contains("..") && !s.endsWith(".git");
    }

    /**
     * {@link HfTokenizer#check} of a resolved model, once per content: a pass is remembered under the model's revision
     * (a folder's content fingerprint, which covers the tokenizer files, or a Hub commit), so a cache-hit export does
     * not load the native tokenizer again. A failure is never remembered.
     */
    public void checkTokenizer(ModelSource src) {
        Path passed = src.revision() == null ? null : memoDir().resolve("tokenizer-ok-" + src.revision());
        if (passed != null && Files.isRegularFile(passed)) {
            return;
        }
        HfTokenizer.check(src.folder());
        if (passed != null) {
            try {
                AtomicFiles.createDirectories(passed.getParent());
                AtomicFiles.write(passed, new byte[0]);
            } catch (IOException e) {
                // Only speed is lost: the next export checks again.
            }
        }
    }

    /** Where digests and checks are remembered across processes. */
    private Path memoDir() {
        return hubConfig.hfHome().resolve("jneuron").resolve("fingerprints");
    }
}
