package io.jneuron.core.cache;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two OS users and one compile cache, for real: this JVM (root) and {@code nobody} through {@code setpriv}.
 * A private cache cannot be touched by the other user, who gets an error naming the permission to change; a
 * cache its owner shared on purpose (group-writable, setgid) works for both. Runs only as root (CI does).
 */
class SharedCacheUsersTest {
    static final String NOBODY = "65534";

    @TempDir
    Path tmp;
    String classpath;

    @BeforeEach
    void asRootWithSetpriv() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")) && new File("/usr/bin/setpriv").canExecute(),
                "needs root and setpriv to run a second OS user; skipped as " + System.getProperty("user.name"));
        Files.setAttribute(tmp, "unix:mode", 0755);
        // The second user cannot read root's Maven repository: give it a readable copy of what it runs.
        Path cp = Files.createDirectories(tmp.resolve("cp"));
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e);
            if (Files.isDirectory(p)) {
                Path copy = cp.resolve("dir" + entries.size());
                try (var walk = Files.walk(p)) {
                    for (Path f : walk.toList()) {
                        Files.copy(f, copy.resolve(p.relativize(f).toString()));
                    }
                }
                entries.add(copy.toString());
            } else if (p.getFileName().toString().startsWith("jackson-")) {
                entries.add(Files.copy(p, cp.resolve(p.getFileName())).toString());
            }
        }
        try (var walk = Files.walk(cp)) {
            for (Path f : walk.toList()) {
                Files.setAttribute(f, "unix:mode", Files.isDirectory(f) ? 0755 : 0644);
            }
        }
        classpath = String.join(File.pathSeparator, entries);
    }

    /** {@link CacheUserMain} as {@code nobody} (group nogroup), its one line of output. */
    String asNobody(Path root, String key, String content) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:-UsePerfData", "-Xmx64m",
                "-cp", classpath, CacheUserMain.class.getName(), root.toString(), key, content)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out;
    }

    @Test
    void anotherUserCannotTouchAPrivateCacheAndIsToldWhichPermissionToChange() throws Exception {
        Path root = tmp.resolve("private-cache");
        CompileCache cache = new CompileCache(root, CachePoisoningTest.CPU);
        Path model = cache.compileOnce("k1", w -> Files.writeString(w.resolve("model.cpu"), "root's model")).module().path()
                .resolve("model.cpu");

        String out = asNobody(root, "k2", "nobody's model");
        assertTrue(out.startsWith("error: cannot write ") && out.contains("permission denied on " + cache.dir())
                && out.contains("owner root") && out.contains("chmod -R g+rwX") && out.contains("--cache_dir"), out);
        Process swap = new ProcessBuilder("/usr/bin/setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
                "/bin/sh", "-c", "printf evil > " + model + " || mv /dev/null " + model).redirectErrorStream(true).start();
        swap.getInputStream().readAllBytes();
        assertTrue(swap.waitFor(30, TimeUnit.SECONDS));
        assertNotEquals(0, swap.exitValue(), "nobody could write root's artifact");
        assertEquals("root's model", Files.readString(model));
        assertEquals("reused root's model", asNobody(root, "k1", "ignored"), "reading a hit needs no write access");
    }

    @Test
    void aCacheSharedOnPurposeWorksForBothUsers() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("team-cache"));
        Files.setAttribute(root, "posix:group", root.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByGroupName("nogroup"));
        Files.setAttribute(root, "unix:mode", 02775);
        CompileCache cache = new CompileCache(root, CachePoisoningTest.CPU);
        cache.compileOnce("k1", w -> Files.writeString(w.resolve("model.cpu"), "root's model"));

        assertEquals("compiled nobody's model", asNobody(root, "k2", "nobody's model"));
        assertEquals("reused root's model", asNobody(root, "k1", "ignored"));
        assertTrue(CacheRoot.at(root).verify().stream().allMatch(VerifyResult::ok));
        assertEquals(0, CacheRoot.at(root).cleanup(new CleanupOptions(true, false, false, false, java.util.Map.of()))
                .removed().size());
        // Root can remove what nobody compiled, and nobody could remove root's: the group shares the whole tree.
        Path nobodys = cache.module("k2").path();
        assertEquals(NOBODY, String.valueOf(Files.getAttribute(nobodys, "unix:uid")));
        assertEquals(02070, (Integer) Files.getAttribute(nobodys, "unix:mode") & 02070);
    }
}
