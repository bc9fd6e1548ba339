package io.jneuron.core.cache;

import java.nio.file.Path;

/** The compile itself, run by {@link CompileCache#compileOnce} while it holds the module's lock. */
@FunctionalInterface
public interface CompileWork {
    /**
     * Writes the artifacts into {@code workDir}, an empty private folder on the cache's file system. Its files
     * are moved into the MODULE folder only after this returns; a throw leaves {@code model.log} instead. A
     * {@code model.log} the work wrote into {@code workDir} before throwing (e.g. the compiler's output) heads it.
     */
    void compile(Path workDir) throws Exception;
}
