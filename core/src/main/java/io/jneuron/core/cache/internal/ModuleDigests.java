package io.jneuron.core.cache.internal;

import io.jneuron.core.files.AtomicFiles;
import io.jneuron.core.hub.internal.Hashing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The content digest of every artifact of a module, kept in its {@code model.done} (which libneuronxla and
 * optimum only test for existence, so the file stays compatible). One line per file: sha256, size, modification
 * time in ns, file key (device and inode) and name. A hit re-hashes a file only when its size, time or inode
 * changed since the compile (hashing a large model on every hit would cost as much as compiling it);
 * {@code cache verify} always re-hashes. A module whose files no longer match is corrupt and never used.
 */
public final class ModuleDigests {
    static final String HEADER = "# jneuron module digests: sha256 size mtime-ns file-key name";

    /** One recorded artifact. */
    record Line(String sha256, long size, long mtimeNs, String fileKey, String name) {
    }

    private ModuleDigests() {
    }

    /** Writes {@code model.done} in {@code module} with the digests of {@code names}; last, as it marks the module complete. */
    public static void writeDone(Path module, List<String> names) throws IOException {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (String name : names) {
            Path f = module.resolve(name);
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            sb.append(sha256(f)).append(' ').append(a.size()).append(' ').append(mtimeNs(a)).append(' ')
                    .append(fileKey(a)).append(' ').append(name).append('\n');
        }
        AtomicFiles.write(module.resolve(ModuleInspector.DONE), sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The recorded artifacts; empty for a {@code model.done} without digests (optimum's, or an older jneuron's). */
    static List<Line> read(Path module) {
        List<Line> out = new ArrayList<>();
        try {
            Path done = module.resolve(ModuleInspector.DONE);
            if (!Files.exists(done, LinkOption.NOFOLLOW_LINKS)) {
                return out; // a traced module copied in by hand: complete by its content (spec §1.4)
            }
            if (Files.size(done) > (1 << 20)) {
                return List.of(new Line("", -1, 0, "", "model.done (larger than 1 MB)"));
            }
            for (String l : Files.readAllLines(done, StandardCharsets.UTF_8)) {
                String[] f = l.split(" ", 5);
                if (l.startsWith("#") || l.isBlank()) {
                    continue;
                }
                if (f.length != 5 || !f[0].matches("[0-9a-f]{64}") || f[4].contains("/") || f[4].startsWith(".")) {
                    return List.of(new Line("", -1, 0, "", "model.done (unreadable line)"));
                }
                out.add(new Line(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), f[3], f[4]));
            }
        } catch (IOException | RuntimeException e) {
            return List.of(new Line("", -1, 0, "", "model.done (" + e.getClass().getSimpleName() + ")"));
        }
        return out;
    }

    /** Why the module's recorded files are not all there as regular files (cheap: no hashing); empty when they are. */
    static Optional<String> missing(Path module) {
        for (Line l : read(module)) {
            if (l.size() < 0) {
                return Optional.of("unreadable " + l.name());
            }
            if (!Files.isRegularFile(module.resolve(l.name()), LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of(l.name() + " is missing");
            }
        }
        return Optional.empty();
    }

    /**
     * Why the module's files do not match their digests; empty when they all do.
     *
     * @param full re-hash every file; else only those whose size, time or inode changed
     */
    public static Optional<String> mismatch(Path module, boolean full) {
        Optional<String> gone = missing(module);
        if (gone.isPresent()) {
            return gone;
        }
        for (Line l : read(module)) {
            Path f = module.resolve(l.name());
            try {
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (!full && a.size() == l.size() && mtimeNs(a) == l.mtimeNs() && fileKey(a).equals(l.fileKey())) {
                    continue;
                }
                String sha = sha256(f);
                if (!sha.equals(l.sha256())) {
                    return Optional.of(l.name() + " has sha256 " + sha + ", not the " + l.sha256() + " recorded when it was compiled");
                }
            } catch (IOException e) {
                return Optional.of(l.name() + " cannot be read (" + e.getClass().getSimpleName() + ")");
            }
        }
        return Optional.empty();
    }

    static String sha256(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
            MessageDigest md = Hashing.md("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) != -1; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        }
    }

    private static long mtimeNs(BasicFileAttributes a) {
        java.time.Instant t = a.lastModifiedTime().toInstant();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    private static String fileKey(BasicFileAttributes a) {
        Object k = a.fileKey();
        return k == null ? "-" : k.toString().replace(' ', '_');
    }
}
