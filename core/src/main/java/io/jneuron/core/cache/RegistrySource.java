package io.jneuron.core.cache;

import io.jneuron.core.cache.internal.HubRegistrySource;
import io.jneuron.core.cache.internal.LocalRegistrySource;
import io.jneuron.core.hub.HubClient;

import java.nio.file.Path;
import java.util.List;

/**
 * A read-only tree laid out like a compile cache: the local cache folder, or a Hub cache repo. Lookup, listing and verify only list folders and read files, so they run unchanged over either.
 * Paths are relative, '/'-separated, with "" as the root. Implementations must refuse paths that leave
 * the root and must bound what they read.
 */
public interface RegistrySource {
    /** {@code "local"} or {@code "hub"}: the {@code source} of lookup results. */
    String name();

    /** Where the tree lives (a folder, a repo id), for messages. */
    String location();

    /**
     * The direct children of {@code folder}, empty when it does not exist. Children that must not be followed
     * (a symlink out of the root, a name like {@code ..}) are listed with a {@link Item#refusal()}.
     *
     * @throws CacheException when the folder exists but cannot be listed
     */
    List<Item> list(String folder);

    /**
     * The bytes of {@code file}.
     *
     * @throws CacheException when it is larger than {@code maxBytes}, escapes the root, or cannot be read
     */
    byte[] read(String file, long maxBytes);

    /**
     * One child in a listing.
     *
     * @param path relative to the source root
     * @param folder true for a folder
     * @param size bytes of a file (0 for folders)
     * @param refusal null, or why this child is reported and not followed
     */
    record Item(String path, boolean folder, long size, String refusal) {
        public String name() {
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    /** The local cache folder {@code root}; symlinks are followed only when they stay inside it. */
    static RegistrySource local(Path root) {
        return new LocalRegistrySource(root);
    }

    /**
     * The Hub cache repo {@code repo}, read through {@code client} (which the caller owns and closes). Besides
     * {@link CacheException}, its calls throw {@link io.jneuron.core.hub.HubException} when the repo cannot be
     * reached at all.
     */
    static RegistrySource hub(HubClient client, String repo) {
        return new HubRegistrySource(client, repo);
    }
}
