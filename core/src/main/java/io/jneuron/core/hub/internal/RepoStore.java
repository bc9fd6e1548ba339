package io.jneuron.core.hub.internal;

import io.jneuron.core.hub.internal.Exchanges.HttpError;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The server's repos on disk: {@code DIR/org/name/<files>} is the head of {@code main}, so a team can drop
 * a folder in and serve it. There is no history: the commit id is a digest of the listing (paths, sizes,
 * modification times), so it changes with every commit and with every edit by hand. Private flags and
 * staged LFS objects live in {@code DIR/.jneuron-hub/}, which no repo id can name. Every path from the
 * wire is checked, and a file whose real location (after links) is outside its repo is never served.
 */
final class RepoStore {
    static final String META = ".jneuron-hub";

    final Path root;
    final long lfsThreshold;
    private final Map<Path, Hashes> hashes = new ConcurrentHashMap<>();
    private final Map<String, Object> repoLocks = new ConcurrentHashMap<>();

    /** The content ids of one file version: its git id (of the content, or of the LFS pointer) and sha256 for LFS. */
    record Hashes(long size, long mtime, String gitOid, String sha256) {
    }

    /** One file or folder of a repo; {@code hashes} is null for folders. */
    record Entry(String path, boolean directory, long size, Hashes hashes) {
    }

    RepoStore(Path root, long lfsThreshold) throws IOException {
        this.root = root.toRealPath();
        this.lfsThreshold = lfsThreshold;
    }

    /** The repo's folder; 404 RepoNotFound unless it exists, as a real folder of DIR. Server repos are always "org/name". */
    Path repo(String repo) {
        Path dir = repoDir(repo);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || !inside(root, dir)) {
            throw new HttpError(404, "RepoNotFound", "Repository not found");
        }
        return dir;
    }

    Path repoDir(String repo) {
        try {
            Names.repo(repo);
        } catch (RuntimeException e) {
            throw new HttpError(400, null, "invalid repo id");
        }
        if (repo.indexOf('/') < 0) {
            throw new HttpError(404, "RepoNotFound", "Repository not found (this server holds org/name repos only)");
        }
        Path dir = root.resolve(repo);
        if (!reachedWithin(root, dir)) {
            throw new HttpError(404, "RepoNotFound", "Repository not found");
        }
        return dir;
    }

    Object lock(String repo) {
        return repoLocks.computeIfAbsent(repo, k -> new Object());
    }

    boolean isPrivate(String repo) {
        return Files.exists(root.resolve(META).resolve("private").resolve(repo));
    }

    void markPrivate(String repo) throws IOException {
        Path flag = root.resolve(META).resolve("private").resolve(repo);
        Files.createDirectories(flag.getParent());
        Files.writeString(flag, "private\n", StandardCharsets.UTF_8);
    }

    /** "main" or the current commit id; anything else is a revision we do not have (no history is kept). */
    String checkRevision(String repo, String revision) {
        String head = head(repo);
        if (!revision.equals("main") && !revision.equals(head)) {
            throw new HttpError(404, "RevisionNotFound", "Revision Not Found for url");
        }
        return head;
    }

    String head(String repo) {
        StringBuilder sb = new StringBuilder(repo).append('\n');
        for (Entry e : list(repo, "", true)) {
            if (!e.directory()) {
                sb.append(e.path()).append('\0').append(e.size()).append('\0').append(e.hashes().mtime()).append('\n');
            }
        }
        return Hashing.hex("SHA-1", sb.toString());
    }

    /** A file to serve; 404 EntryNotFound unless it is a regular file whose real path stays in the repo. */
    Path file(String repo, String path) {
        Path dir = repo(repo);
        Path f = dir.resolve(checkPath(path)).normalize();
        if (!f.startsWith(dir) || !inside(dir, f) || !Files.isRegularFile(f)) {
            throw new HttpError(404, "EntryNotFound", "Entry not found");
        }
        return f;
    }

    /** Entries under {@code folder}, sorted by path; 404 EntryNotFound for a folder that is not there. */
    List<Entry> list(String repo, String folder, boolean recursive) {
        Path dir = repo(repo);
        Path start = folder.isEmpty() ? dir : dir.resolve(checkPath(folder)).normalize();
        if (!start.startsWith(dir) || !Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS) || !inside(dir, start)) {
            throw new HttpError(404, "EntryNotFound", "Entry not found");
        }
        List<Entry> out = new ArrayList<>();
        try (Stream<Path> walk = recursive ? Files.walk(start) : Files.list(start)) {
            walk.filter(p -> !p.equals(start)).sorted().forEach(p -> {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(new Entry(rel, true, 0, null));
                } else if (inside(dir, p) && Files.isRegularFile(p)) {
                    Hashes h = hashes(p);
                    out.add(new Entry(rel, false, h.size(), h));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Hashes of a file, computed once per (size, mtime); large files are hashed as LFS objects. */
    Hashes hashes(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            java.time.Instant t = a.lastModifiedTime().toInstant();
            long mtime = t.getEpochSecond() * 1_000_000_000L + t.getNano();
            Hashes h = hashes.get(file);
            if (h != null && h.size() == a.size() && h.mtime() == mtime) {
                return h;
            }
            if (a.size() >= lfsThreshold) {
                String sha = Hashing.sha256(file);
                // git stores an LFS file as a small pointer text; the tree's oid is that pointer's blob id.
                String pointer = "version https://git-lfs.github.com/spec/v1\noid sha256:" + sha + "\nsize " + a.size() + "\n";
                h = new Hashes(a.size(), mtime, Hashing.gitBlobId(pointer.getBytes(StandardCharsets.UTF_8)), sha);
            } else {
                h = new Hashes(a.size(), mtime, Hashing.gitBlobId(file), null);
            }
            hashes.put(file, h);
            return h;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where a commit may write {@code path}: inside the repo, its parent folders real and inside too. */
    Path writable(Path dir, String path) throws IOException {
        Path target = dir.resolve(checkPath(path)).normalize();
        if (!target.startsWith(dir) || target.equals(dir)) {
            throw new HttpError(400, null, "path leaves the repo");
        }
        // Before creating any folder (it would be made wherever a link points) and after (a link may appear meanwhile).
        if (!reachedWithin(dir, target.getParent())) {
            throw new HttpError(400, null, "path leads out of the repo through a link");
        }
        Files.createDirectories(target.getParent());
        if (!target.getParent().toRealPath().startsWith(dir.toRealPath())) {
            throw new HttpError(400, null, "path leads out of the repo through a link");
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new HttpError(400, null, "path is a folder");
        }
        return target;
    }

    /**
     * What a commit may delete at {@code path}: inside the repo, and reached without leaving it through a link.
     * The entry itself may be a link (the link is removed, never its target); the folders above it must be real.
     */
    Path deletable(Path dir, String path) {
        Path target = dir.resolve(checkPath(path)).normalize();
        if (!target.startsWith(dir) || target.equals(dir) || !Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new HttpError(404, "EntryNotFound", "cannot delete '" + Names.printable(path) + "': not found");
        }
        if (!inside(dir, target.getParent())) {
            throw new HttpError(400, null, "cannot delete '" + Names.printable(path) + "': the path leads out of the repo through a link");
        }
        return target;
    }

    static String checkPath(String path) {
        try {
            return Names.path(path, false);
        } catch (RuntimeException e) {
            throw new HttpError(400, null, "invalid path in repo");
        }
    }

    /** Whether the deepest existing part of {@code p} really lies in {@code dir}, so creating the rest stays inside. */
    static boolean reachedWithin(Path dir, Path p) {
        Path existing = p;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        return existing != null && inside(dir, existing);
    }

    /** Whether {@code file}'s real location (every link resolved) is {@code dir} or below it; false if it is missing. */
    static boolean inside(Path dir, Path file) {
        try {
            return file.toRealPath().startsWith(dir.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }
}
