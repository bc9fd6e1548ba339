package io.jneuron.core.files;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Who may write the cache. New folders and files get the user's umask, so a cache is private unless its owner
 * shares it on purpose: a folder that is group-writable with the setgid bit (e.g. {@code chgrp team DIR &&
 * chmod 2775 DIR}) is a shared cache, and what we create inside it is made group-writable (setgid on folders,
 * so the group carries down) for the other members. Never world-writable: any local user could swap an artifact.
 */
public final class SharedFolders {
    private static final int SETGID = 02000;
    private static final int GROUP_RWX = 0070;
    private static final int GROUP_RW = 0060;

    private SharedFolders() {
    }

    /** Whether {@code dir} is a shared cache folder: setgid and group-writable. False where there is no POSIX mode. */
    public static boolean shared(Path dir) {
        int mode = mode(dir);
        return mode >= 0 && (mode & SETGID) != 0 && (mode & 0020) != 0;
    }

    /** Makes a folder or file just created in a shared folder usable by its group; else leaves the umask's mode. */
    public static void inherit(Path created) {
        Path parent = created.getParent();
        if (parent == null || !shared(parent)) {
            return;
        }
        int mode = mode(created);
        if (mode < 0) {
            return;
        }
        boolean dir = Files.isDirectory(created, LinkOption.NOFOLLOW_LINKS);
        try {
            Files.setAttribute(created, "unix:mode", mode | (dir ? GROUP_RWX | SETGID : GROUP_RW), LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | RuntimeException e) {
            // Someone else's file in the shared folder: its owner's settings stand.
        }
    }

    /**
     * The message for a write the file system refused: which folder, whose it is and its mode, and the two ways
     * out (the owner shares the cache on purpose, or this user takes a cache of their own).
     */
    public static String denied(Path target, IOException e) {
        Path p = target;
        while (p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            p = p.getParent();
        }
        if (!(e instanceof AccessDeniedException) || p == null) {
            return "cannot write " + target + ": " + e.getMessage() + "; check that the cache folder is writable or pick "
                    + "another with --cache_dir";
        }
        String owner = "?";
        String perms = "?";
        try {
            owner = Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName();
            perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException ignored) {
            // the names below still say what to change
        }
        return "cannot write " + target + ": permission denied on " + p + " (owner " + owner + ", mode " + perms
                + "); this cache belongs to another user. To share it, its owner makes it group-writable with setgid "
                + "(chgrp GROUP " + p + " && chmod -R g+rwX " + p + " && find " + p + " -type d -exec chmod g+s {} +); "
                + "or use a cache of your own with --cache_dir";
    }

    private static int mode(Path p) {
        try {
            return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
