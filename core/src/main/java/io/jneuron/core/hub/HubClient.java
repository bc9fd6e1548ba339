package io.jneuron.core.hub;

import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.hub.internal.RealHubClient;
import okhttp3.Interceptor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Hugging Face Hub HTTP API, the part that optimum-neuron's cache uses (specs/optimum-neuron-cache.md
 * §3): repo info, tree listing, {@code resolve} downloads into the standard Hub cache, HEAD existence
 * checks, repo creation and commits with LFS. Model repos only. {@code revision} is a branch, tag or
 * commit; null means {@code main}.
 *
 * <p><b>Offline.</b> With {@link HubConfig#offline()} no call opens a connection: reads answer from the
 * local Hub cache (a listing shows only what was downloaded) and writes fail with {@link HubException.Kind#OFFLINE}.
 *
 * <p><b>Token.</b> Sent only to the configured endpoint's origin (never to a redirect target elsewhere, such
 * as an LFS CDN) and never printed, logged or put in an exception.
 *
 * <p>Failures are {@link HubException}s. Implementations are thread-safe; {@link #close} releases the
 * connection pool and the client must not be used after it.
 */
public interface HubClient extends AutoCloseable {

    /** {@code GET /api/models/{repo}[/revision/{rev}]}: id, head commit and file names. */
    RepoInfo repoInfo(String repo, String revision);

    /**
     * {@code GET /api/models/{repo}/tree/{rev}/{path}}, following {@code Link: rel="next"} pages. A folder
     * that does not exist fails with {@link HubException.Kind#ENTRY_NOT_FOUND}.
     *
     * @param path folder inside the repo, "" for the root
     */
    List<TreeEntry> listTree(String repo, String revision, String path, boolean recursive);

    default List<TreeEntry> listTree(String repo, String path, boolean recursive) {
        return listTree(repo, null, path, recursive);
    }

    /**
     * The file as {@code $HF_HUB_CACHE/models--org--name/snapshots/<commit>/<path>}, downloading it when
     * missing: size and hash are checked (sha256 for LFS files, the git blob id otherwise), an interrupted
     * transfer resumes from its {@code .incomplete} blob, and a file lands only whole and verified.
     */
    Path download(String repo, String revision, String path);

    default Path download(String repo, String path) {
        return download(repo, null, path);
    }

    /**
     * Downloads of this client report to {@code listener} from now on (stage {@code download <repo>/<path> (<size>)},
     * the fraction done); returns this client. Clients that do not download ignore it.
     */
    default HubClient onProgress(ProgressListener listener) {
        return this;
    }

    /** {@code HEAD .../resolve/{rev}/{path}}: whether the file exists; a missing repo is an error, not false. */
    boolean exists(String repo, String revision, String path);

    default boolean exists(String repo, String path) {
        return exists(repo, null, path);
    }

    /** {@code POST /api/repos/create}; an existing repo fails with {@link HubException.Kind#CONFLICT}. */
    String createRepo(String repo, boolean isPrivate);

    /**
     * One commit on {@code main}: small files inline (NDJSON), large ones through LFS preupload and batch.
     *
     * @param parentCommit the commit the caller built on: the Hub refuses the commit (409/412, thrown as
     *                     {@link HubException.Kind#CONFLICT}) if main moved on. Null: use the current head and,
     *                     if another commit lands first, re-read the head and retry (bounded, with backoff)
     */
    CommitInfo commit(String repo, List<CommitOperation> operations, String message, String parentCommit);

    @Override
    void close();

    static HubClient create(HubConfig config) {
        return builder(config).build();
    }

    static Builder builder(HubConfig config) {
        return new Builder(config);
    }

    /** Options for tests and tools: extra interceptors (e.g. a {@link RequestCounter}) and retry pacing. */
    final class Builder {
        private final HubConfig config;
        private final List<Interceptor> interceptors = new ArrayList<>();
        private long retryBaseMillis = 500;
        private int maxAttempts = 5;

        private Builder(HubConfig config) {
            this.config = config;
        }

        /** An interceptor that sees every network request, redirect hops included. */
        public Builder addNetworkInterceptor(Interceptor interceptor) {
            interceptors.add(interceptor);
            return this;
        }

        /** First backoff delay after a 429/5xx/409/412; doubles per attempt, capped at 30 s, jittered. */
        public Builder retryBaseMillis(long millis) {
            this.retryBaseMillis = millis;
            return this;
        }

        /** Attempts per call, the first included (default 5). */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be >= 1, got " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        public HubClient build() {
            return new RealHubClient(config, List.copyOf(interceptors), retryBaseMillis, maxAttempts);
        }
    }
}
