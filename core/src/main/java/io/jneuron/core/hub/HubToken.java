package io.jneuron.core.hub;

import java.util.Objects;

/**
 * A Hugging Face access token. It exists so that the secret cannot leak by accident: {@link #toString}
 * is redacted, so records, logs and exception messages that mention a token never show it. Only the
 * client's auth interceptor, which sends it to the configured endpoint alone, calls {@link #reveal}.
 */
public final class HubToken {
    private final String value;

    private HubToken(String value) {
        this.value = value;
    }

    /** A token from its text, trimmed; a blank text is refused with a message that does not echo it. */
    public static HubToken of(String value) {
        Objects.requireNonNull(value, "token");
        String v = value.strip();
        if (v.isEmpty() || v.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new HubException(HubException.Kind.INVALID, 0, null,
                    "the Hub token is empty or holds spaces or control characters; set HF_TOKEN or the token file to one token");
        }
        return new HubToken(v);
    }

    /** The secret itself, for the Authorization header. Never print or log the result. */
    public String reveal() {
        return value;
    }

    /** Constant-time comparison, so a server checking tokens does not leak them through timing. */
    public boolean matches(String candidate) {
        return candidate != null && java.security.MessageDigest.isEqual(
                value.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                candidate.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HubToken t && matches(t.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "HubToken[redacted]";
    }
}
