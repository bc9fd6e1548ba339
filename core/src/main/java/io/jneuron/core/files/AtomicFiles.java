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
import java.util.UUID;

/**
 * The project's one helper for writes that readers never see half done: files are written
 * beside their target and renamed into place, with one {@link #move} behaviour (an atomic rename, or a clear
 * error) and one {@link #deleteTree}. New folders and files get the user's umask, or the group's access in a
 * shared folder ({@link SharedFolders}); optimum's umask 000 (world-writable) is deliberately not copied.
 */
public final class AtomicFiles {
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
            SharedFolders.inherit(tmp);
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

    /** {@link Files#createDirectories}; each new folder of a shared cache is made usable by the group. */
    public static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(dir);
            SharedFolders.inherit(dir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
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
