package io.jneuron.core.cache;

import io.jneuron.core.files.AtomicFiles;
import io.jneuron.core.hub.HubClient;
import io.jneuron.core.hub.HubConfig;
import io.jneuron.core.hub.HubException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;

/**
 * Which Hub cache repo jneuron consults (spec §3.1): {@code --repo_id} wins, then {@code CUSTOM_CACHE_REPO}, then
 * the repo that {@code cache set} wrote to {@code $HF_HOME/optimum_neuron_custom_cache}; {@link #create} and
 * {@link #set} are optimum's {@code cache create} and {@code cache set} (§3.5).
 *
 * <p>CHOICE (deviation from §3.1): optimum falls back to the public {@code aws-neuron/optimum-neuron-cache}; we
 * do not consult it unless it is named explicitly, so that a lookup or an export on a machine without a Hub (or
 * in a test) never opens a connection nobody asked for, and because that repo holds no {@code jneuron-*}
 * modules. With {@code HF_HUB_OFFLINE} only an explicit {@code --repo_id} is consulted (from the local Hub cache,
 * without connecting).
 */
public final class CacheRepo {
    private CacheRepo() {
    }

    /** The repo to consult, if any; {@code env} is the environment {@code config} was read from. */
    public static Optional<String> resolve(String repoIdOption, HubConfig config, Map<String, String> env) {
        if (repoIdOption != null && !repoIdOption.isBlank()) {
            return Optional.of(repoIdOption.strip());
        }
        if (config.offline()) {
            return Optional.empty();
        }
        String custom = env.get("CUSTOM_CACHE_REPO");
        boolean explicit = (custom != null && !custom.isBlank()) || Files.isRegularFile(config.customCacheFile());
        return explicit ? config.cacheRepo() : Optional.empty();
    }

    /** What {@link #set} did: the repo recorded, the file, and the repo it replaced (null if none). */
    public record Recorded(String repo, boolean isPrivate, java.nio.file.Path file, String previous) {
    }

    /**
     * {@code cache create}: creates the model repo {@code name} (in the token's namespace when it has no org), then
     * {@link #set}s it. {@code name} defaults to {@code optimum-neuron-cache}, as in optimum.
     */
    public static Recorded create(HubClient client, HubConfig config, String name, boolean isPublic) {
        String requested = name == null || name.isBlank() ? "optimum-neuron-cache" : name.strip();
        String id;
        try {
            id = client.createRepo(requested, !isPublic);
        } catch (HubException e) {
            throw new CacheException("cannot create the cache repo " + requested + ": " + e.getMessage()
                    + (e.kind() == HubException.Kind.CONFLICT ? "; it exists already: use `jneuron cache set " + requested
                    + "`" : "; check the name and that HF_TOKEN may create repos"), e);
        }
        return set(client, config, id);
    }

    /**
     * {@code cache set}: checks that {@code repo} can be read, then records it in
     * {@link HubConfig#customCacheFile()} (just the id, no newline, as optimum writes it), atomically.
     */
    public static Recorded set(HubClient client, HubConfig config, String repo) {
        boolean isPrivate;
        try {
            isPrivate = client.repoInfo(repo, null).isPrivate();
        } catch (HubException e) {
            throw new CacheException("cannot use " + repo + " as the cache repo: " + e.getMessage()
                    + "; check the name (org/name) and your token, or create it with `jneuron cache create`", e);
        }
        java.nio.file.Path file = config.customCacheFile();
        try {
            String previous = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : null;
            AtomicFiles.createDirectories(file.getParent());
            AtomicFiles.write(file, repo.getBytes(StandardCharsets.UTF_8));
            return new Recorded(repo, isPrivate, file, previous == null || previous.isEmpty() ? null : previous);
        } catch (IOException e) {
            throw new CacheException("cannot write " + file + ": " + e.getMessage() + "; check that HF_HOME ("
                    + config.hfHome() + ") is writable", e);
        }
    }
}
