package io.jneuron.core.cache.internal;

import io.jneuron.core.cache.CacheException;
import io.jneuron.core.cache.RegistrySource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The local cache folder as a {@link RegistrySource}. A file symlink is followed only when its real target
 * is inside the root (optimum's aliases are such links); folder symlinks are never followed, so a loop or
 * a link to {@code /} cannot make a listing wander. Thread-safe.
 */
public record LocalRegistrySource(Path root) implements RegistrySource {
    public LocalRegistrySource {
        root = root.toAbsolutePath().normalize();
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public List<Item> list(String folder) {
        Path dir = SafePaths.resolve(root, folder);
        List<Item> items = new ArrayList<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return items;
        }
        Path realRoot = SafePaths.real(root);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String rel = folder.isEmpty() ? p.getFileName().toString() : folder + "/" + p.getFileName();
                items.add(item(realRoot, p, rel));
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return items;
        } catch (IOException e) {
            throw new CacheException("cannot list " + dir + ": " + e.getMessage() + "; check its permissions", e);
        }
        items.sort(Comparator.comparing(Item::path));
        return items;
    }

    private static Item item(Path realRoot, Path p, String rel) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isSymbolicLink()) {
            Optional<String> out = SafePaths.outside(realRoot, p);
            if (out.isPresent()) {
                return new Item(rel, false, 0, out.get());
            }
            if (Files.isDirectory(p)) {
                return new Item(rel, true, 0, "symlinked folder, not followed");
            }
            return new Item(rel, false, Files.size(p), null);
        }
        if (a.isDirectory()) {
            return new Item(rel, true, 0, null);
        }
        return new Item(rel, false, a.size(), a.isRegularFile() ? null : "not a regular file");
    }

    @Override
    public byte[] read(String file, long maxBytes) {
        Path p = SafePaths.resolve(root, file);
        SafePaths.outside(SafePaths.real(root), p).ifPresent(why -> {
            throw new CacheException(file + ": " + why + "; refusing to read it");
        });
        try (InputStream in = Files.newInputStream(p)) {
            // Read one byte past the limit, so a file that grows while we read cannot slip through.
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new CacheException(file + ": larger than " + maxBytes + " bytes; refusing to read it as a "
                        + "registry entry (delete it if it is not one)");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new CacheException(file + ": vanished while reading (a concurrent cleanup?)", e);
        } catch (IOException e) {
            throw new CacheException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
