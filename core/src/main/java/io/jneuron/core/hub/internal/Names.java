package io.jneuron.core.hub.internal;

import io.jneuron.core.hub.HubException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks for every name that comes from a user or from the wire before it touches a URL or a path:
 * repo ids, paths inside a repo, revisions, ETags and commit ids. Anything that could walk out of a
 * folder ({@code ..}, absolute paths, backslashes, control characters) is refused here, once.
 */
public final class Names {
    // Hub rules: one or two segments of letters, digits, '.', '_', '-'; no "--" or ".." anywhere (the cache
    // folder name uses "--" as its separator, so allowing it would let two ids share one folder).
    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,95}(/[A-Za-z0-9][A-Za-z0-9._-]{0,95})?");
    private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}(/[A-Za-z0-9._-]{1,128}){0,4}");
    private static final Pattern ETAG = Pattern.compile("(?:W/)?(\"?)([0-9a-f]{40}|[0-9a-f]{64})\\1");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    private Names() {
    }

    public static String repo(String repo) {
        if (repo == null || !REPO.matcher(repo).matches() || repo.contains("--") || repo.contains("..")
                || repo.endsWith(".git")) {
            throw invalid("repo id '" + printable(repo) + "' is not a Hub id like 'org/name' (letters, digits, '.', '_', "
                    + "'-'; no '--' or '..')");
        }
        return repo;
    }

    /** A '/'-separated relative path inside a repo; "" (the root) only when {@code allowRoot}. */
    public static String path(String path, boolean allowRoot) {
        if (path == null || path.isEmpty()) {
            if (allowRoot) {
                return "";
            }
            throw invalid("an empty path inside a repo is not a file name");
        }
        if (path.length() > 1024 || path.startsWith("/") || path.contains("\\") || path.endsWith("/")) {
            throw invalid("path '" + printable(path) + "' must be relative, '/'-separated and at most 1024 characters");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")
                    || segment.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw invalid("path '" + printable(path) + "' has an empty, '.', '..' or control-character segment");
            }
        }
        return path;
    }

    /** A branch, tag or commit; null means main. */
    public static String revision(String revision) {
        if (revision == null) {
            return "main";
        }
        if (!REVISION.matcher(revision).matches() || revision.contains("..")) {
            throw invalid("revision '" + printable(revision) + "' is not a branch, tag or commit id");
        }
        return revision;
    }

    public static boolean isCommit(String s) {
        return s != null && COMMIT.matcher(s).matches();
    }

    /** An ETag as the Hub sends it ({@code "abc"} or {@code W/"abc"}), reduced to its 40- or 64-hex value, or null. */
    public static String etag(String header) {
        Matcher m = header == null ? null : ETAG.matcher(header.strip());
        return m != null && m.matches() ? m.group(2) : null;
    }

    /** A value echoed in a message: shortened and stripped of control characters, so a hostile name cannot forge lines. */
    public static String printable(String s) {
        if (s == null) {
            return "null";
        }
        String t = s.length() > 200 ? s.substring(0, 200) + "…" : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }

    private static HubException invalid(String message) {
        return new HubException(HubException.Kind.INVALID, 0, null, message);
    }
}
