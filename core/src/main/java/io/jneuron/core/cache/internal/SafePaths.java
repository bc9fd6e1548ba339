package io.jneuron.core.cache.internal;

import io.jneuron.core.cache.CacheException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Registry and Hub paths are untrusted: a relative path is accepted only as plain
 * '/'-separated names, and a file is followed only when its real location stays under the cache root.
 */
public final class SafePaths {
    /** A Hub id segment or model_type: what Hub names allow, never "." or "..". */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private SafePaths() {
    }

    /**
     * Why {@code relative} may not be resolved under a root, or empty when it may: absolute paths,
     * {@code ..}, {@code .}, empty segments, backslashes and control characters are refused.
     */
    public static Optional<String> refusal(String relative) {
        if (relative.isEmpty()) {
            return Optional.empty();
        }
        if (relative.startsWith("/") || relative.matches("^[A-Za-z]:.*")) {
            return Optional.of("absolute path");
        }
        for (int i = 0; i < relative.length(); i++) {
            char c = relative.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                return Optional.of("control character or backslash in the path");
            }
        }
        for (String seg : relative.split("/", -1)) {
            if (seg.equals("..")) {
                return Optional.of("'..' escapes the cache root");
            }
            if (seg.isEmpty() || seg.equals(".")) {
                return Optional.of("empty or '.' path segment");
            }
        }
        return Optional.empty();
    }

    /** {@code root/relative}, or a CacheException naming the path and why it is refused. */
    public static Path resolve(Path root, String relative) {
        refusal(relative).ifPresent(why -> {
            throw new CacheException("refusing registry path '" + relative + "': " + why + "; the entry is skipped");
        });
        return relative.isEmpty() ? root : root.resolve(relative);
    }

    /**
     * Empty when {@code p} (which may be a symlink) really lies under {@code realRoot}, else why not. A dangling
     * link or one that leaves the root is refused; nothing outside is ever opened.
     */
    public static Optional<String> outside(Path realRoot, Path p) {
        try {
            Path real = p.toRealPath();
            return real.startsWith(realRoot) ? Optional.empty()
                    : Optional.of("symlink leads outside the cache root (to " + real + ")");
        } catch (IOException e) {
            return Optional.of(Files.isSymbolicLink(p) ? "dangling symlink" : "unreadable: " + e.getMessage());
        }
    }

    /** {@code p} with every link resolved, or {@code p} itself when it cannot be resolved (a missing folder). */
    public static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }

    /** A Hub id ({@code name} or {@code org/name}) or model_type usable as alias path segments, else a CacheException. */
    public static String[] hubIdSegments(String modelId, String what) {
        String[] segs = modelId == null ? new String[0] : modelId.split("/", -1);
        boolean ok = segs.length >= 1 && segs.length <= 2;
        for (String s : segs) {
            ok &= NAME.matcher(s).matches() && !s.contains(".."); // the Hub refuses ".." in names too
        }
        if (!ok) {
            throw new CacheException(what + " '" + modelId + "' is not a Hub id (name or org/name of letters, digits, "
                    + "'.', '_', '-'); registry entries are filed by Hub id, so export from a Hub id or pass --model_id");
        }
        return segs;
    }
}
