package io.jneuron.core.hub.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The two content ids the Hub uses: sha256 of LFS objects and git's blob id (sha1 of "blob N\0" + bytes). */
public final class Hashing {
    private Hashing() {
    }

    public static String sha256(Path file) {
        return digest(file, "SHA-256", false);
    }

    public static String gitBlobId(Path file) {
        return digest(file, "SHA-1", true);
    }

    public static String gitBlobId(byte[] content) {
        MessageDigest md = md("SHA-1");
        md.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(md.digest(content));
    }

    /** Lower-case hex digest of UTF-8 text, as Python's {@code hashlib.<algo>(s.encode()).hexdigest()}. */
    public static String hex(String algorithm, String text) {
        return hex(algorithm, text.getBytes(StandardCharsets.UTF_8));
    }

    public static String hex(String algorithm, byte[] bytes) {
        return HexFormat.of().formatHex(md(algorithm).digest(bytes));
    }

    /** The sha256 or git blob id of a file, as chosen by the length of {@code expected} (64 or 40 hex). */
    public static String contentId(Path file, int hexLength) {
        return hexLength == 64 ? sha256(file) : gitBlobId(file);
    }

    private static String digest(Path file, String algorithm, boolean gitBlob) {
        MessageDigest md = md(algorithm);
        try (InputStream in = Files.newInputStream(file)) {
            if (gitBlob) {
                md.update(("blob " + Files.size(file) + "\0").getBytes(StandardCharsets.US_ASCII));
            }
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) != -1; ) {
                md.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** A new digest of {@code algorithm} ("MD5", "SHA-1", "SHA-256", "SHA-512"). */
    public static MessageDigest md(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE runtime must provide MD5, SHA-1, SHA-256 and SHA-512.
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
    }
}
