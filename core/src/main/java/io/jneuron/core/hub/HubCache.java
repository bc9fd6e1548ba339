package io.jneuron.core.hub;

import io.jneuron.core.files.AtomicFiles;
import io.jneuron.core.hub.internal.Names;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The standard Hugging Face download cache, shared with Python tools:
 * {@code <root>/models--org--name/{blobs/<etag>, snapshots/<commit>/<path> -> ../../blobs/<etag>, refs/<revision>}}.
 * Every path it hands out stays inside the repo's folder: names are checked, and a snapshot entry whose
 * link leads elsewhere is ignored. Writes are atomic (temp file or link, then rename).
 */
public record HubCache(Path root) {
    public HubCache {
        root = root.toAbsolutePath().normalize();
    }

    public Path repoDir(String repo) {
        return root.resolve("models--" + Names.repo(repo).replace("/", "--"));
    }

    public Path blob(String repo, String etag) {
        if (Names.etag(etag) == null) {
            throw new HubException(HubException.Kind.INVALID, 0, null, "'" + Names.printable(etag) + "' is not a blob id");
        }
        return repoDir(repo).resolve("blobs").resolve(etag);
    }

    public Path snapshotFile(String repo, String commit, String path) {
        if (!Names.isCommit(commit)) {
            throw new HubException(HubException.Kind.INVALID, 0, null, "'" + Names.printable(commit) + "' is not a commit id");
        }
        Path snap = repoDir(repo).resolve("snapshots").resolve(commit);
        Path file = snap.resolve(Names.path(path, false)).normalize();
        if (!file.startsWith(snap)) {
            throw new HubException(HubException.Kind.INVALID, 0, null, "path '" + Names.printable(path) + "' leaves the snapshot");
        }
        return file;
    }

    /** The commit a revision points to locally: the revision itself if it is a commit id, else {@code refs/<revision>}. */
    public Optional<String> commitOf(String repo, String revision) {
        String rev = Names.revision(revision);
        if (Names.isCommit(rev)) {
            return Optional.of(rev);
        }
        Path ref = repoDir(repo).resolve("refs").resolve(rev);
        try {
            if (!Files.isRegularFile(ref) || Files.size(ref) > 256) {
                return Optional.empty();
            }
            String commit = Files.readString(ref, StandardCharsets.UTF_8).strip();
            return Names.isCommit(commit) ? Optional.of(commit) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ref, e);
        }
    }

    /** The cached file for a revision, if it was downloaded and its link stays inside this repo's cache folder. */
    public Optional<Path> cachedFile(String repo, String revision, String path) {
        return commitOf(repo, revision).map(c -> snapshotFile(repo, c, path)).filter(f -> isContained(repo, f));
    }

    /** Paths of the files downloaded for a commit, sorted; only those whose links stay inside the repo's folder. */
    public List<String> cachedFiles(String repo, String commit) {
        Path snap = repoDir(repo).resolve("snapshots").resolve(commit);
        if (!Names.isCommit(commit) || !Files.isDirectory(snap)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(snap)) {
            return walk.filter(p -> !Files.isDirectory(p) && isContained(repo, p))
                    .map(p -> snap.relativize(p).toString().replace('\\', '/')).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + snap, e);
        }
    }

    private boolean isContained(String repo, Path file) {
        try {
            return Files.isRegularFile(file) && file.toRealPath().startsWith(repoDir(repo).toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    /** Points {@code refs/<revision>} at a commit (no-op when the revision is the commit itself). */
    public void writeRef(String repo, String revision, String commit) throws IOException {
        String rev = Names.revision(revision);
        if (rev.equals(commit)) {
            return;
        }
        Path ref = repoDir(repo).resolve("refs").resolve(rev);
        Files.createDirectories(ref.getParent());
        Path tmp = AtomicFiles.tempBeside(ref);
        Files.writeString(tmp, commit, StandardCharsets.UTF_8);
        AtomicFiles.move(tmp, ref);
    }

    /** Makes {@code snapshots/<commit>/<path>} a relative link to the blob (a copy where links are not allowed). */
    public Path linkSnapshot(String repo, String commit, String path, Path blob) throws IOException {
        Path file = snapshotFile(repo, commit, path);
        Files.createDirectories(file.getParent());
        Path tmp = AtomicFiles.tempBeside(file);
        try {
            Files.createSymbolicLink(tmp, file.getParent().relativize(blob));
        } catch (UnsupportedOperationException | FileSystemException e) {
            // Some filesystems (and Windows without privileges) refuse links; huggingface_hub copies then too.
            Files.deleteIfExists(tmp);
            Files.copy(blob, tmp);
        }
        AtomicFiles.move(tmp, file);
        return file;
    }
}
