package io.jneuron.core.hub;

import io.jneuron.core.hub.internal.HubServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Hub-compatible server over a directory ({@code jneuron hub serve DIR}): for air-gapped teams and for
 * tests. Repos are folders {@code DIR/org/name/}; the folder's contents are {@code main}. It speaks the
 * subset of the Hub API that {@link HubClient} and the official {@code @huggingface/hub} client use for
 * listing, downloading and uploading (repo info, paginated tree, resolve with ranges, create, preupload,
 * LFS batch with basic transfer, NDJSON commit with parent-commit checks). No history is kept: only
 * {@code main} and its current commit id resolve.
 *
 * <p>Binds loopback unless told otherwise. With a token every request must carry it (LFS upload URLs are
 * signed instead, as presigned storage URLs are). Paths from the wire never leave DIR, links out of a
 * repo are not followed, and the server logs nothing. Close it to stop it.
 */
public final class LocalHub implements AutoCloseable {
    private final HubServer server;

    private LocalHub(HubServer server) {
        this.server = server;
    }

    /**
     * @param host         address to bind, e.g. 127.0.0.1 (loopback) or 0.0.0.0 (every interface)
     * @param port         0 for a free port
     * @param token        required bearer token, or null for none
     * @param lfsThreshold files of at least this many bytes go through LFS (the Hub uses 10 MB)
     * @param pageSize     tree entries per page before a {@code Link: rel="next"}
     */
    public static LocalHub start(Path dir, String host, int port, HubToken token, long lfsThreshold, int pageSize) {
        if (!Files.isDirectory(dir)) {
            throw new HubException(HubException.Kind.INVALID, 0, null, "cannot serve " + dir + ": not a folder; "
                    + "create it (repos go in DIR/org/name/)");
        }
        if (pageSize < 1 || lfsThreshold < 1) {
            throw new IllegalArgumentException("pageSize and lfsThreshold must be positive");
        }
        try {
            return new LocalHub(new HubServer(dir, host, port, token, lfsThreshold, pageSize));
        } catch (java.net.BindException e) {
            throw new HubException(HubException.Kind.NETWORK, 0, null, "cannot listen on " + host + ":" + port + " ("
                    + e.getMessage() + "); pick another --port, or 0 for any free one", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Hub server on " + host + ":" + port, e);
        }
    }

    /**
     * Closes connections that take over {@code seconds} to send a request or take a reply (default
     * {@value HubServer#DEFAULT_REQUEST_TIMEOUT_S}). Once per JVM: call it before the first server starts.
     */
    public static void requestTimeout(long seconds) {
        HubServer.requestTimeout(seconds, true);
    }

    /** Loopback, a free port, the Hub's 10 MB LFS threshold and 1000 entries per page. */
    public static LocalHub start(Path dir, HubToken token) {
        return start(dir, "127.0.0.1", 0, token, 10_000_000L, 1000);
    }

    /** The base URL to give clients as {@code HF_ENDPOINT}, e.g. {@code http://127.0.0.1:8765}. */
    public String url() {
        return server.baseUrl();
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return "LocalHub[" + url() + "]";
    }
}
