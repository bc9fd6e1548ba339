package io.jneuron.core.cache.internal;

import io.jneuron.core.cache.CacheException;
import io.jneuron.core.cache.RegistrySource;
import io.jneuron.core.hub.HubClient;
import io.jneuron.core.hub.HubException;
import io.jneuron.core.hub.TreeEntry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * A Hub cache repo as a {@link RegistrySource}: a folder listing is one non-recursive tree listing (a missing
 * folder is an empty one, as optimum treats {@code EntryNotFoundError}), and a read is one {@code resolve}
 * download into the standard Hub cache. The repo is pinned to the commit {@code main} points to at the first
 * call, so a listing and the downloads that follow it see one tree even while another host synchronizes (and a
 * file already in the Hub cache for that commit costs no request).
 *
 * <p>Failures other than a missing folder or file are the repo being unreachable, not one bad entry: they are
 * thrown as {@link HubException}, which the registry walk does not swallow, so the caller can report the whole
 * source once. Thread-safe.
 */
public final class HubRegistrySource implements RegistrySource {
    private final HubClient client;
    private final String repo;
    private volatile String commit;

    public HubRegistrySource(HubClient client, String repo) {
        this.client = client;
        this.repo = repo;
    }

    @Override
    public String name() {
        return "hub";
    }

    @Override
    public String location() {
        return repo;
    }

    @Override
    public List<Item> list(String folder) {
        SafePaths.refusal(folder).ifPresent(why -> {
            throw new CacheException("refusing registry path '" + folder + "' in " + repo + ": " + why);
        });
        List<TreeEntry> tree;
        try {
            tree = client.listTree(repo, commit(), folder, false);
        } catch (HubException e) {
            if (e.kind() == HubException.Kind.ENTRY_NOT_FOUND) {
                return List.of();
            }
            throw e;
        }
        return tree.stream().map(t -> new Item(t.path(), t.directory(), t.directory() ? 0 : t.size(), null))
                .sorted(Comparator.comparing(Item::path)).toList();
    }

    @Override
    public byte[] read(String file, long maxBytes) {
        SafePaths.refusal(file).ifPresent(why -> {
            throw new CacheException(file + ": " + why + "; refusing to read it from " + repo);
        });
        Path local;
        try {
            local = client.download(repo, commit(), file);
        } catch (HubException e) {
            if (e.kind() == HubException.Kind.ENTRY_NOT_FOUND || e.kind() == HubException.Kind.CORRUPT
                    || e.kind() == HubException.Kind.INVALID) {
                // One bad file is a skipped entry, like an unreadable local file; the walk goes on.
                throw new CacheException(file + ": " + e.getMessage(), e);
            }
            throw e;
        }
        try (InputStream in = Files.newInputStream(local)) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new CacheException(file + ": larger than " + maxBytes + " bytes; refusing to read it as a "
                        + "registry entry");
            }
            return bytes;
        } catch (IOException e) {
            throw new CacheException(file + ": cannot read the downloaded copy " + local + ": " + e.getMessage(), e);
        }
    }

    /** The commit all calls read; resolved once, so that a concurrent commit cannot tear a lookup. */
    private String commit() {
        String c = commit;
        if (c == null) {
            synchronized (this) {
                if (commit == null) {
                    commit = client.repoInfo(repo, null).sha();
                }
                c = commit;
            }
        }
        return c;
    }
}
