package io.jneuron.core.cache.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Lower-case hex digests of UTF-8 text, as Python's {@code hashlib.<algo>(s.encode()).hexdigest()}. */
public final class Hashes {
    private Hashes() {
    }

    public static String sha512(String text) {
        return hex("SHA-512", text);
    }

    public static String sha256(String text) {
        return hex("SHA-256", text);
    }

    public static String md5(String text) {
        return hex("MD5", text);
    }

    public static String sha512(byte[] bytes) {
        return HexFormat.of().formatHex(digest("SHA-512").digest(bytes));
    }

    private static String hex(String algorithm, String text) {
        return HexFormat.of().formatHex(digest(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE runtime must provide MD5, SHA-256 and SHA-512.
            throw new IllegalStateException(algorithm + " is missing from this JRE", e);
        }
    }
}
