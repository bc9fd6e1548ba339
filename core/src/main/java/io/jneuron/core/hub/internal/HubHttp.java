package io.jneuron.core.hub.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jneuron.core.hub.HubConfig;
import io.jneuron.core.hub.HubException;
import io.jneuron.core.hub.HubException.Kind;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The transport under {@link RealHubClient}: two OkHttp clients (one follows redirects, one does not,
 * for HEAD metadata), bounded retries with backoff on 429/5xx and broken connections, error mapping
 * from status and {@code X-Error-Code}, and size- and depth-bounded JSON reading.
 */
final class HubHttp {
    /** Jackson refuses deeper documents, so a JSON bomb fails fast instead of exhausting the stack. */
    static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(64 << 20).build())
            .build());

    final HubConfig config;
    final HttpUrl endpoint;
    final OkHttpClient client;
    final OkHttpClient noRedirects;
    private final long retryBaseMillis;
    final int maxAttempts;

    HubHttp(HubConfig config, List<Interceptor> interceptors, long retryBaseMillis, int maxAttempts) {
        this.config = config;
        this.endpoint = HttpUrl.get(config.endpoint());
        Duration stall = config.downloads().stall();
        // readTimeout is the stall limit (no byte for that long); the call timeout bounds an API answer as a whole,
        // and a file transfer sets its own from the file's size (Downloader).
        OkHttpClient.Builder b = new OkHttpClient.Builder()
                .connectTimeout(30, TimeUnit.SECONDS).readTimeout(stall).writeTimeout(120, TimeUnit.SECONDS)
                .callTimeout(config.downloads().deadlineFor(0))
                // Our own loop retries with backoff; OkHttp's silent retry would hide broken connections from it.
                .retryOnConnectionFailure(false);
        interceptors.forEach(b::addNetworkInterceptor);
        // Added last so user interceptors (request counters) never see the Authorization header.
        b.addNetworkInterceptor(new AuthInterceptor(endpoint, config.token().orElse(null)));
        this.client = b.build();
        this.noRedirects = client.newBuilder().followRedirects(false).followSslRedirects(false).build();
        this.retryBaseMillis = retryBaseMillis;
        this.maxAttempts = maxAttempts;
    }

    HttpUrl.Builder url() {
        return endpoint.newBuilder();
    }

    /**
     * Runs a request until it gets a non-retryable answer. 2xx and 3xx come back open (the caller closes);
     * anything else becomes a {@link HubException}.
     *
     * @param subject  what the request is about, for messages
     * @param retryIo  whether a broken connection may be retried (idempotent requests only)
     */
    Response execute(OkHttpClient using, Request request, Subject subject, boolean retryIo) {
        return execute(using, request, subject, retryIo, null);
    }

    /**
     * As above with {@code limit} (when not null) as this call's overall timeout, body included; a call that
     * times out under a limit is not retried but thrown as {@link TimedOut}, for the caller to say what ran out.
     */
    Response execute(OkHttpClient using, Request request, Subject subject, boolean retryIo, Duration limit) {
        for (int attempt = 1; ; attempt++) {
            Response response;
            try {
                Call call = using.newCall(request);
                if (limit != null) {
                    call.timeout().timeout(Math.max(1, limit.toNanos()), TimeUnit.NANOSECONDS);
                }
                response = call.execute();
            } catch (IOException e) {
                if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
                    throw new HubException(Kind.NETWORK, 0, redact(request.url()), subject.what() + " was interrupted", e);
                }
                if (e instanceof InterruptedIOException && limit != null) {
                    throw new TimedOut(e);
                }
                if (!retryIo || attempt >= maxAttempts) {
                    throw network(request, subject, attempt, e);
                }
                pause(attempt, null);
                continue;
            }
            int code = response.code();
            if (code < 400) {
                return response;
            }
            boolean busy = code == 429 || code >= 500;
            if (busy && attempt < maxAttempts) {
                String retryAfter = response.header("Retry-After");
                response.close();
                pause(attempt, retryAfter);
                continue;
            }
            throw error(response, subject, attempt);
        }
    }

    private HubException network(Request request, Subject subject, int attempts, IOException e) {
        return new HubException(Kind.NETWORK, 0, redact(request.url()), subject.what() + " failed: cannot reach "
                + config.endpoint() + " (" + e.getClass().getSimpleName() + ", " + attempts + " attempt(s)); check the "
                + "network and HF_ENDPOINT, or set HF_HUB_OFFLINE=1 to use the local cache only", e);
    }

    /** Maps an error response and closes it. */
    HubException error(Response response, Subject s, int attempts) {
        try (response) {
            int code = response.code();
            String url = redact(response.request().url());
            String errorCode = response.header("X-Error-Code", "");
            String detail = serverMessage(response);
            String tail = " (HTTP " + code + (detail.isEmpty() ? "" : ": " + detail) + ", " + url + ")";
            String tokenHint = config.token().isPresent()
                    ? "use a token of an account that can read it"
                    : "no token is set: set HF_TOKEN or write one to " + config.hfHome().resolve("token");
            if (errorCode.equals("RepoNotFound")) {
                return new HubException(Kind.REPO_NOT_FOUND, code, url, s.what() + " failed: repository '" + s.repo()
                        + "' was not found at " + config.endpoint() + ", or it is private and " + tokenHint
                        + "; check the id" + tail);
            }
            if (errorCode.equals("RevisionNotFound")) {
                return new HubException(Kind.REVISION_NOT_FOUND, code, url, s.what() + " failed: revision '" + s.revision()
                        + "' does not exist in '" + s.repo() + "'; use a branch, tag or commit that exists" + tail);
            }
            if (errorCode.equals("EntryNotFound")) {
                return new HubException(Kind.ENTRY_NOT_FOUND, code, url, s.what() + " failed: '" + s.path()
                        + "' does not exist in '" + s.repo() + "' at '" + s.revision() + "'; list the repo to see what it has" + tail);
            }
            if (errorCode.equals("GatedRepo")) {
                return new HubException(Kind.GATED, code, url, s.what() + " failed: '" + s.repo() + "' is gated; accept its "
                        + "conditions at " + config.endpoint() + "/" + s.repo() + " and use that account's token (HF_TOKEN)" + tail);
            }
            if (code == 401) {
                return new HubException(Kind.UNAUTHORIZED, code, url, s.what() + " failed: " + config.endpoint()
                        + (config.token().isPresent() ? " rejected the token; set HF_TOKEN or " + config.hfHome().resolve("token")
                        + " to a valid one" : " needs a token; set HF_TOKEN or write one to " + config.hfHome().resolve("token")) + tail);
            }
            if (code == 403) {
                return new HubException(Kind.FORBIDDEN, code, url, s.what() + " failed: the token may not do this on '"
                        + s.repo() + "'; use a token with write access to it" + tail);
            }
            if (code == 409 || code == 412) {
                return new HubException(Kind.CONFLICT, code, url, s.what() + " failed: '" + s.repo()
                        + "' is in conflict (it exists already, or it changed since the parent commit); re-read it and retry" + tail);
            }
            if (code == 429 || code >= 500) {
                return new HubException(Kind.UNAVAILABLE, code, url, s.what() + " failed: " + config.endpoint()
                        + " is busy or failing after " + attempts + " attempt(s); try again later" + tail);
            }
            return new HubException(Kind.OTHER, code, url, s.what() + " failed" + tail);
        }
    }

    /** The server's own words (X-Error-Message or a small JSON "error"), shortened, with our token blotted out. */
    private String serverMessage(Response response) {
        String msg = response.header("X-Error-Message");
        if (msg == null) {
            try {
                ResponseBody body = response.body();
                if (body != null) {
                    BufferedSource src = body.source();
                    src.request(8192);
                    Buffer copy = src.getBuffer().clone();
                    String text = copy.readUtf8(Math.min(copy.size(), 8192));
                    JsonNode n = text.startsWith("{") ? JSON.readTree(text) : null;
                    msg = n != null && n.path("error").isTextual() ? n.path("error").asText() : null;
                }
            } catch (IOException | RuntimeException e) {
                msg = null; // the status alone still tells the story
            }
        }
        if (msg == null) {
            return "";
        }
        String m = Names.printable(msg);
        String token = config.token().map(t -> t.reveal()).orElse(null);
        return token == null ? m : m.replace(token, "***");
    }

    /** Reads a JSON body of at most {@code maxBytes}; larger or malformed bodies are refused. Closes the response. */
    JsonNode readJson(Response response, long maxBytes, Subject s) {
        try (response) {
            ResponseBody body = response.body();
            BufferedSource src = body.source();
            if (src.request(maxBytes + 1)) {
                throw new HubException(Kind.INVALID, response.code(), redact(response.request().url()), s.what()
                        + " failed: the JSON answer is larger than " + maxBytes + " bytes; refusing it");
            }
            return JSON.readTree(src.getBuffer().inputStream());
        } catch (IOException e) {
            throw new HubException(Kind.INVALID, response.code(), redact(response.request().url()), s.what()
                    + " failed: the answer is not valid JSON (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    void pause(int attempt, String retryAfter) {
        long delay = Math.min(30_000, retryBaseMillis << Math.min(attempt - 1, 16));
        delay = (long) (delay * (0.5 + ThreadLocalRandom.current().nextDouble()));
        if (retryAfter != null && retryAfter.matches("\\d{1,3}")) {
            delay = Math.max(delay, Math.min(30_000, Long.parseLong(retryAfter) * 1000));
        }
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException(Kind.NETWORK, 0, null, "interrupted while waiting to retry a Hub request", e);
        }
    }

    /** The URL for messages: no user info, no query (cursors and signed CDN URLs carry credentials). */
    static String redact(HttpUrl url) {
        return url.newBuilder().username("").password("").query(null).build().toString();
    }

    void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    /** A call under a limit that ran out of time (no byte for the stall time, or the overall limit). */
    static final class TimedOut extends RuntimeException {
        TimedOut(IOException cause) {
            super(cause);
        }
    }

    /** What a request is about, for messages. */
    record Subject(String what, String repo, String revision, String path) {
    }
}
