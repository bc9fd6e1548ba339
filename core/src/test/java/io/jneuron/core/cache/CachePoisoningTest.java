package io.jneuron.core.cache;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compile cache against a local user who can reach it: folders get the umask (never world-writable), a
 * shared cache is the owner's explicit choice, a linked module is never used, and a swapped or missing artifact
 * is caught by the next hit and by {@code cache verify}.
 */
class CachePoisoningTest {
    static final CompilerId CPU = new CompilerId("jneuron-cpu", "0.1.0");

    @TempDir
    Path tmp;

    static CompileOutcome compile(CompileCache cache, String key, String content) {
        return cache.compileOnce(key, w -> Files.writeString(w.resolve("model.cpu"), content));
    }

    @Test
    void newFoldersAndFilesFollowTheUmaskAndAreNeverWorldWritable() throws Exception {
        Path root = tmp.resolve("a/b/cache");
        compile(new CompileCache(root, CPU), "k1", "weights");
        CacheRoot.at(root).registry(); // nothing else to create
        try (Stream<Path> all = Files.walk(tmp.resolve("a"))) {
            for (Path p : all.toList()) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                assertFalse(perms.contains(PosixFilePermission.OTHERS_WRITE), p + " is world-writable: " + perms);
            }
        }
    }

    @Test
    void aSharedCacheFolderPassesGroupAccessDownToWhatIsCreatedInIt() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("shared"));
        Files.setAttribute(root, "unix:mode", 02775);
        CompileOutcome out = compile(new CompileCache(root, CPU), "k1", "weights");
        for (Path p : List.of(root.resolve(CPU.folderName()), out.module().path())) {
            int mode = (Integer) Files.getAttribute(p, "unix:mode");
            assertEquals(02070, mode & 02070, p + " mode " + Integer.toOctalString(mode));
            assertEquals(0, mode & 0002, p + " mode " + Integer.toOctalString(mode));
        }
        int file = (Integer) Files.getAttribute(out.module().path().resolve("model.cpu"), "unix:mode");
        assertEquals(0060, file & 0062, "group read-write, not world-writable: " + Integer.toOctalString(file));
    }

    @Test
    void aModuleThatIsALinkOutOfTheCacheIsNeverUsedAndCleanupRemovesOnlyTheLink() throws Exception {
        Path root = tmp.resolve("cache");
        CompileCache cache = new CompileCache(root, CPU);
        compile(cache, "k0", "real");
        Path elsewhere = Files.createDirectories(tmp.resolve("attacker/MODULE_k1"));
        Files.writeString(elsewhere.resolve("model.cpu"), "someone else's model");
        Files.writeString(elsewhere.resolve("model.done"), "");
        Files.createSymbolicLink(cache.dir().resolve("MODULE_k1"), elsewhere);

        CacheException e = assertThrows(CacheException.class, () -> compile(cache, "k1", "mine"));
        assertTrue(e.getMessage().contains("is a symbolic link"), e.getMessage());
        assertEquals(ModuleState.CORRUPT, cache.module("k1").state());
        assertEquals(1L, CacheRoot.at(root).status(Map.of()).compilers().get(0).counts().get(ModuleState.CORRUPT));
        assertTrue(CacheRoot.at(root).verify().stream().anyMatch(r -> r.path().endsWith("MODULE_k1") && !r.ok()));

        CacheRoot.at(root).cleanup(CleanupOptions.defaults());
        assertFalse(Files.exists(cache.dir().resolve("MODULE_k1"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("someone else's model", Files.readString(elsewhere.resolve("model.cpu")), "the target is left alone");
        assertEquals("mine", Files.readString(compile(cache, "k1", "mine").module().path().resolve("model.cpu")));
    }

    @Test
    void aSwappedArtifactIsCaughtByTheNextHitAndByVerify() throws Exception {
        Path root = tmp.resolve("cache");
        CompileCache cache = new CompileCache(root, CPU);
        Path model = compile(cache, "k1", "the real weights").module().path().resolve("model.cpu");
        assertFalse(compile(cache, "k1", "unused").compiled(), "an untouched module is a hit");
        assertTrue(CacheRoot.at(root).verify().stream().allMatch(VerifyResult::ok));

        // Swap by rename, with the same size and modification time as the original.
        FileTime mtime = Files.getLastModifiedTime(model);
        Path evil = Files.writeString(tmp.resolve("evil"), "the evil weights");
        Files.setLastModifiedTime(evil, mtime);
        Files.move(evil, model, StandardCopyOption.REPLACE_EXISTING);
        List<VerifyResult> bad = CacheRoot.at(root).verify().stream().filter(r -> !r.ok()).toList();
        assertEquals(1, bad.size(), bad.toString());
        assertTrue(bad.get(0).reason().startsWith("model.cpu has sha256 "), bad.get(0).reason());

        CompileOutcome again = compile(cache, "k1", "the real weights");
        assertTrue(again.compiled(), "a swapped module is compiled again, not a hit");
        assertEquals("the real weights", Files.readString(model));

        // Swap in place: the content changes, so does the modification time.
        Files.write(model, "the evil weights".getBytes(StandardCharsets.UTF_8));
        assertTrue(compile(cache, "k1", "the real weights").compiled());
        assertTrue(CacheRoot.at(root).verify().stream().allMatch(VerifyResult::ok));
    }

    @Test
    void aModuleMarkedDoneWithAMissingArtifactIsCorruptCleanedAndCompiledAgain() throws Exception {
        Path root = tmp.resolve("cache");
        CompileCache cache = new CompileCache(root, CPU);
        Path module = compile(cache, "k1", "weights").module().path();
        Files.delete(module.resolve("model.cpu"));
        // An older or foreign module: model.done empty and nothing but the marker.
        Path bare = Files.createDirectories(cache.dir().resolve("MODULE_k2"));
        Files.writeString(bare.resolve("model.done"), "");

        assertEquals(ModuleState.CORRUPT, cache.module("k1").state());
        assertEquals(ModuleState.CORRUPT, cache.module("k2").state());
        assertEquals(2L, CacheRoot.at(root).status(Map.of()).compilers().get(0).counts().get(ModuleState.CORRUPT));
        assertEquals(2, CacheRoot.at(root).verify().stream().filter(r -> !r.ok()).count());
        assertTrue(compile(cache, "k1", "weights").compiled(), "recompiled, not a hit");
        assertEquals("weights", Files.readString(module.resolve("model.cpu")));

        CleanupReport r = CacheRoot.at(root).cleanup(CleanupOptions.defaults());
        assertEquals(List.of(bare), r.removed().stream().map(CleanupReport.Removal::path).toList());
        assertFalse(Files.exists(bare));
    }
}
