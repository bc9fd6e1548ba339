package io.jneuron.core.hub;

import io.jneuron.core.NeuronKernelException;

/**
 * A Hub call that failed. It carries the HTTP status (0 when no response came back), the URL that was
 * asked (never a token: tokens travel only in headers) and a {@link Kind} that callers branch on, e.g.
 * a registry lookup treats {@link Kind#ENTRY_NOT_FOUND} on a tree listing as "no entries". The message
 * says what failed and what to do next.
 */
public final class HubException extends NeuronKernelException {

    /** What went wrong, mapped from the status and the Hub's {@code X-Error-Code} header. */
    public enum Kind {
        REPO_NOT_FOUND, REVISION_NOT_FOUND, ENTRY_NOT_FOUND, GATED, UNAUTHORIZED, FORBIDDEN,
        /** 409/412: the repo moved on, or it already exists. */
        CONFLICT,
        /** 429 or 5xx, still failing after bounded retries. */
        UNAVAILABLE,
        /** No connection could be made, or it broke and could not be resumed. */
        NETWORK,
        /** A download whose size or hash did not match what the Hub announced; nothing landed. */
        CORRUPT,
        /** {@code HF_HUB_OFFLINE} is set and the local caches cannot answer. */
        OFFLINE,
        /** A response or argument that breaks the protocol or our safety rules (bad path, oversized JSON). */
        INVALID,
        OTHER
    }

    private final Kind kind;
    private final int status;
    private final String url;

    public HubException(Kind kind, int status, String url, String message) {
        this(kind, status, url, message, null);
    }

    public HubException(Kind kind, int status, String url, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.url = url;
    }

    public Kind kind() {
        return kind;
    }

    /** HTTP status, or 0 when the failure happened before or without a response. */
    public int status() {
        return status;
    }

    /** The URL asked, or null for failures that are not about one request (offline, bad argument). */
    public String url() {
        return url;
    }
}
