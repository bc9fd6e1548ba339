package io.jneuron.core.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The Python-made goldens under {@code src/test/resources/golden/}. They are Python's truth, so tests never
 * rewrite them: regenerate with {@code /usr/bin/python3 core/src/test/python/make_goldens.py}.
 */
final class Goldens {
    private Goldens() {
    }

    static Path path(String relative) {
        try {
            return Path.of(Goldens.class.getResource("/golden/" + relative).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing golden " + relative + "; run make_goldens.py", e);
        }
    }

    static String text(String relative) {
        try {
            return Files.readString(path(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a golden folder (e.g. the fixture cache) into {@code target}, so a test may damage its copy. */
    static void copyTree(String relative, Path target) {
        Path from = path(relative);
        try {
            Files.walkFileTree(from, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Files.createDirectories(target.resolve(from.relativize(dir).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.copy(file, target.resolve(from.relativize(file).toString()));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "expected ... but was ..." with the first differing offset and some context, for long JSON texts. */
    static String diff(String expected, String actual) {
        int i = 0;
        while (i < Math.min(expected.length(), actual.length()) && expected.charAt(i) == actual.charAt(i)) {
            i++;
        }
        int from = Math.max(0, i - 40);
        return "first difference at offset " + i + ":\n  python: ..." + snippet(expected, from, i)
                + "\n  java:   ..." + snippet(actual, from, i);
    }

    private static String snippet(String s, int from, int at) {
        return s.substring(Math.min(from, s.length()), Math.min(s.length(), at + 40)).replace("\n", "\\n");
    }
}
