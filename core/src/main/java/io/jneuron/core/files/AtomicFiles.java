package io.jneuron.core.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;

/**
 * The project's one helper for writes that readers never see half done (DESIGN.md §5): files are written
 * beside their target and renamed into place, with one {@link #move} behaviour (an atomic rename, or a clear
 * error) and one {@link #deleteTree}. Folders are made world-writable, as optimum does with umask 000, so one shared cache under
 * {@code /var/tmp} works for every user.
 */
public final class AtomicFiles {
    private static final Set<PosixFilePermission> SHARED_DIR = PosixFilePermissions.fromString("rwxrwxrwx");
    private static final Set<PosixFilePermission> SHARED_FILE = PosixFilePermissions.fromString("rw-rw-rw-");
    /** Prefix of our temp files and folders; cleanup may remove those of dead writers. */
    public static final String TEMP_PREFIX = ".jneuron-tmp-";

    private AtomicFiles() {
    }

    /** Writes {@code bytes} to {@code target} through a synced temp file in the same folder and an atomic rename. */
    public static void write(Path target, byte[] bytes) throws IOException {
        createDirectories(target.getParent());
        Path tmp = target.resolveSibling(TEMP_PREFIX + ProcessHandle.current().pid() + "-" + UUID.randomUUID());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            share(tmp, SHARED_FILE);
            move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Renames {@code from} onto {@code to} atomically, replacing a file or an empty folder. {@code from} must be
     * on the same file system (a temp made by {@link #tempBeside} is); there is no copying fallback, because a
     * copy could be seen half done.
     */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + from + " to " + to + " atomically; the temp file must be on the "
                    + "target's file system", e);
        }
    }

    /** {@link Files#createDirectories} that leaves new folders writable by every user (best effort). */
    public static void createDirectories(Path dir) throws IOException {
        Path missing = dir;
        while (missing.getParent() != null && !Files.exists(missing.getParent())) {
            missing = missing.getParent();
        }
        boolean existed = Files.isDirectory(dir);
        Files.createDirectories(dir);
        if (!existed) {
            for (Path p = dir; p != null && p.startsWith(missing); p = p.getParent()) {
                share(p, SHARED_DIR);
            }
        }
    }

    private static void share(Path p, Set<PosixFilePermission> perms) {
        try {
            Files.setPosixFilePermissions(p, perms);
        } catch (IOException | UnsupportedOperationException e) {
            // Not POSIX, or someone else's folder: the cache still works for this user.
        }
    }

    /** A fresh hidden temp name beside {@code target}, so a crash leaves no file under the real name. */
    public static Path tempBeside(Path target) {
        return target.resolveSibling(TEMP_PREFIX + ProcessHandle.current().pid() + "-" + UUID.randomUUID());
    }

    /** {@link #deleteTree} for cleaning up our own temp files after a failure, which must not hide that failure. */
    public static void deleteTreeQuietly(Path p) {
        try {
            deleteTree(p);
        } catch (IOException ignored) {
            // Leftover temp files carry TEMP_PREFIX; cache cleanup removes those of dead writers.
        }
    }

    /** Deletes a file or a whole tree; symlinks are removed, never followed. */
    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Bytes under {@code p} (files only, symlinks not followed); 0 if it vanished meanwhile. */
    public static long size(Path p) {
        long[] total = {0};
        try {
            Files.walkFileTree(p, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        total[0] += attrs.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // removed by a concurrent cleanup: not ours to report here
                }
            });
        } catch (IOException e) {
            return total[0];
        }
        return total[0];
    }
}
