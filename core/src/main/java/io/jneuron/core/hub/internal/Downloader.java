package io.jneuron.core.hub.internal;

import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.cache.CacheStatus;
import io.jneuron.core.files.AtomicFiles;
import io.jneuron.core.hub.DownloadLimits;
import io.jneuron.core.hub.HubCache;
import io.jneuron.core.hub.HubException;
import io.jneuron.core.hub.HubException.Kind;
import io.jneuron.core.hub.internal.HubHttp.Subject;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code resolve} downloads into the Hub cache. A HEAD (redirects not followed) gives the commit, the blob
 * id and the size; a blob already cached costs nothing more. Otherwise the body goes to
 * {@code blobs/<etag>.incomplete}, resuming with {@code Range} after a broken connection, and is
 * checked (size, then sha256 for LFS or the git blob id for small files) before it is renamed into
 * place. A corrupt download is deleted; it never lands. A transfer that stalls or outlives its deadline
 * ({@link io.jneuron.core.hub.DownloadLimits}) fails naming the file and the server, and its partial file is
 * deleted too. Progress goes to the listener set with {@link #progress(ProgressListener)}.
 */
final class Downloader {
    private static final ConcurrentHashMap<Path, Object> LOCKS = new ConcurrentHashMap<>();

    /** Progress events at most this often; the CLI and the notebook bar throttle again for their own needs. */
    private static final long PROGRESS_INTERVAL_NANOS = 200_000_000L;

    private final HubHttp http;
    private final HubCache cache;
    private volatile ProgressListener progress = ProgressListener.NONE;

    Downloader(HubHttp http, HubCache cache) {
        this.http = http;
        this.cache = cache;
    }

    void progress(ProgressListener listener) {
        progress = listener == null ? ProgressListener.NONE : listener;
    }

    Path download(String repo, String revision, String path) {
        Subject s = new Subject("downloading '" + path + "' from '" + repo + "'", repo, revision, path);
        if (http.config.offline() || Names.isCommit(revision)) {
            Optional<Path> local = cache.cachedFile(repo, revision, path);
            if (local.isPresent()) {
                return local.get();
            }
            if (http.config.offline()) {
                throw new HubException(Kind.OFFLINE, 0, null, "'" + path + "' of '" + repo + "' at '" + revision
                        + "' is not in the local Hub cache (" + cache.root() + ") and HF_HUB_OFFLINE is set; "
                        + "download it once online, or unset HF_HUB_OFFLINE");
            }
        }
        Metadata meta = head(repo, revision, path, s);
        try {
            Path blob = cache.blob(repo, meta.etag);
            if (!Files.isRegularFile(blob)) {
                fetch(meta, blob, s);
            }
            Path file = cache.linkSnapshot(repo, meta.commit, path, blob);
            cache.writeRef(repo, revision, meta.commit);
            return file;
        } catch (IOException e) {
            throw new HubException(Kind.OTHER, 0, null, s.what() + " failed: cannot write the Hub cache at "
                    + cache.root() + " (" + e + "); check its permissions and free space", e);
        }
    }

    /** HEAD on {@code resolve}, following only same-origin redirects (renamed repos); a CDN redirect is read, not followed. */
    Metadata head(String repo, String revision, String path, Subject s) {
        HttpUrl url = resolveUrl(repo, revision, path);
        for (int hop = 0; hop < 5; hop++) {
            Request req = new Request.Builder().url(url).head().header("Accept-Encoding", "identity").build();
            try (Response r = http.execute(http.noRedirects, req, s, true)) {
                String location = r.header("Location");
                HttpUrl next = location == null ? null : url.resolve(location);
                if (r.isRedirect() && next != null && next.host().equals(url.host()) && next.port() == url.port()
                        && r.header("X-Linked-Etag") == null) {
                    url = next;
                    continue;
                }
                String commit = r.header("X-Repo-Commit");
                String etag = Names.etag(Optional.ofNullable(r.header("X-Linked-Etag")).orElse(r.header("ETag")));
                long size = parseSize(Optional.ofNullable(r.header("X-Linked-Size")).orElse(r.header("Content-Length")));
                if (!Names.isCommit(commit) || etag == null || size < 0) {
                    throw new HubException(Kind.INVALID, r.code(), HubHttp.redact(url), s.what() + " failed: the server "
                            + "did not send a valid X-Repo-Commit, ETag and size; is HF_ENDPOINT (" + http.config.endpoint()
                            + ") a Hugging Face Hub?");
                }
                return new Metadata(commit, etag, size, r.isRedirect() && next != null ? next : url);
            }
        }
        throw new HubException(Kind.INVALID, 0, HubHttp.redact(url), s.what() + " failed: too many redirects");
    }

    HttpUrl resolveUrl(String repo, String revision, String path) {
        HttpUrl.Builder b = http.url().addPathSegments(repo).addPathSegment("resolve").addPathSegment(revision);
        for (String seg : path.split("/")) {
            b.addPathSegment(seg);
        }
        return b.build();
    }

    private void fetch(Metadata meta, Path blob, Subject s) throws IOException {
        Files.createDirectories(blob.getParent());
        Path incomplete = blob.resolveSibling(blob.getFileName() + ".incomplete");
        // One writer per blob: a JVM-wide monitor for our threads, a file lock for other processes.
        synchronized (LOCKS.computeIfAbsent(incomplete, k -> new Object())) {
            // Lock files live apart from the blobs, where huggingface_hub keeps its own: <cache>/.locks/models--org--name/.
            Path lockFile = cache.root().resolve(".locks").resolve(blob.getParent().getParent().getFileName())
                    .resolve(blob.getFileName() + ".lock");
            Files.createDirectories(lockFile.getParent());
            try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = lockChannel.lock();
                try {
                    if (Files.isRegularFile(blob)) {
                        return; // another process finished it while we waited
                    }
                    transfer(meta, incomplete, s);
                    verify(meta, incomplete, s);
                    AtomicFiles.move(incomplete, blob);
                } finally {
                    lock.release();
                }
            }
        }
    }

    /**
     * Brings {@code incomplete} to the announced size, resuming after each broken connection (bounded), all within
     * the file's deadline; a stall or the deadline ends it at once, deleting the partial file.
     */
    private void transfer(Metadata meta, Path incomplete, Subject s) throws IOException {
        IOException last = null;
        Duration limit = http.config.downloads().deadlineFor(meta.size);
        long deadline = System.nanoTime() + limit.toNanos();
        Progress shown = new Progress(s.repo() + "/" + s.path() + " (" + CacheStatus.human(meta.size) + ")", meta.size);
        for (int attempt = 1; attempt <= http.maxAttempts; attempt++) {
            long have = Files.exists(incomplete) ? Files.size(incomplete) : 0;
            if (have > meta.size) {
                Files.delete(incomplete); // longer than the file can be: start over rather than trust it
                have = 0;
            }
            if (have == meta.size) {
                return;
            }
            Request.Builder rb = new Request.Builder().url(meta.url).header("Accept-Encoding", "identity");
            if (have > 0) {
                rb.header("Range", "bytes=" + have + "-");
            }
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            if (left.isNegative() || left.isZero()) {
                throw timedOut(meta, incomplete, s, limit, deadline, null);
            }
            try (Response r = http.execute(http.client, rb.build(), s, true, left)) {
                boolean append = r.code() == 206;
                if (append && !r.header("Content-Range", "").startsWith("bytes " + have + "-")) {
                    throw corrupt(s, "the server resumed at the wrong offset (" + r.header("Content-Range") + ")", incomplete);
                }
                long start = append ? have : 0;
                try (OutputStream out = Files.newOutputStream(incomplete, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                    copyBounded(r.body().source(), out, meta.size - start, s, incomplete, shown.at(start));
                }
                if (Files.size(incomplete) == meta.size) {
                    return;
                }
                last = new IOException("connection closed after " + Files.size(incomplete) + " of " + meta.size + " bytes");
            } catch (HubHttp.TimedOut e) {
                throw timedOut(meta, incomplete, s, limit, deadline, (IOException) e.getCause());
            } catch (InterruptedIOException e) {
                // A read timeout (stall) or the call timeout (deadline): waiting longer is what the user limited.
                throw timedOut(meta, incomplete, s, limit, deadline, e);
            } catch (IOException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw timedOut(meta, incomplete, s, limit, deadline, e); // the call timeout cancelled the read
                }
                last = e; // keep what arrived; the next attempt asks for the rest
            }
            if (attempt < http.maxAttempts) {
                http.pause(attempt, null);
            }
        }
        throw new HubException(Kind.NETWORK, 0, HubHttp.redact(meta.url), s.what() + " failed: the transfer broke off "
                + http.maxAttempts + " times (" + last + "); the partial file is kept and the next try resumes it");
    }

    private void copyBounded(BufferedSource src, OutputStream out, long limit, Subject s, Path incomplete,
                             Progress shown) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long written = 0;
        InputStream in = src.inputStream();
        for (int n; (n = in.read(buf)) != -1; ) {
            if (written + n > limit) {
                throw corrupt(s, "the server sent more bytes than the announced size", incomplete);
            }
            out.write(buf, 0, n);
            written += n;
            shown.add(n);
        }
    }

    /** The stall or deadline error; the partial file goes, so nothing of this download stays in the cache. */
    private HubException timedOut(Metadata meta, Path incomplete, Subject s, Duration limit, long deadline,
                                   IOException cause)
            throws IOException {
        long have = Files.exists(incomplete) ? Files.size(incomplete) : 0;
        Files.deleteIfExists(incomplete);
        String server = meta.url.scheme() + "://" + meta.url.host() + ":" + meta.url.port();
        String got = CacheStatus.human(have) + " of " + CacheStatus.human(meta.size);
        // Both timeouts read "timeout" in OkHttp; the call timeout fires only at the deadline, so before it, a stall.
        boolean stalled = System.nanoTime() - deadline < -50_000_000L;
        String why = stalled
                ? server + " sent nothing for " + seconds(http.config.downloads().stall()) + " (" + DownloadLimits.STALL_ENV
                + ") after " + got + "; nothing was kept in the Hub cache; retry, or raise " + DownloadLimits.STALL_ENV
                + " for a server that pauses this long"
                : "not complete after " + seconds(limit) + " (" + http.config.downloads().deadlineSetting() + "): " + server
                + " sent " + got + "; nothing was kept in the Hub cache; retry later, or raise " + DownloadLimits.DEADLINE_ENV;
        return new HubException(Kind.NETWORK, 0, HubHttp.redact(meta.url), s.what() + " failed: " + why, cause);
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }


    /** Progress of one file, reported as stage {@code download <repo>/<path> (<size>)} with the fraction done. */
    private final class Progress {
        private final String stage;
        private final long size;
        private long have;
        private long lastReport;

        Progress(String file, long size) {
            this.stage = "download " + file;
            this.size = size;
        }

        Progress at(long offset) {
            have = offset;
            report(true);
            return this;
        }

        void add(long n) {
            have += n;
            report(have == size);
        }

        private void report(boolean force) {
            long now = System.nanoTime();
            if (force || now - lastReport >= PROGRESS_INTERVAL_NANOS) {
                lastReport = now;
                progress.progress(stage, size == 0 ? 1 : (double) have / size);
            }
        }
    }

    private static void verify(Metadata meta, Path file, Subject s) throws IOException {
        // LFS files are named by their sha256; small files by their git blob id (sha1 of "blob <size>\0" + bytes).
        String got = Hashing.contentId(file, meta.etag.length());
        if (!got.equals(meta.etag)) {
            throw corrupt(s, "its " + (meta.etag.length() == 64 ? "sha256" : "git blob id") + " is " + got
                    + ", the Hub announced " + meta.etag, file);
        }
    }

    private static HubException corrupt(Subject s, String why, Path incomplete) throws IOException {
        Files.deleteIfExists(incomplete);
        return new HubException(Kind.CORRUPT, 0, null, s.what() + " failed: the download is corrupt (" + why
                + "); nothing was cached; try again, and if it persists a proxy or the server is altering the file");
    }

    private static long parseSize(String v) {
        try {
            return v == null ? -1 : Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** What a HEAD on {@code resolve} announced. {@code url} is where the bytes are (a CDN for LFS files). */
    record Metadata(String commit, String etag, long size, HttpUrl url) {
    }
}
