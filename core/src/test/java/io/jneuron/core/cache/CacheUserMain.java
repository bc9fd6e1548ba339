package io.jneuron.core.cache;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One user's export into a compile cache, run in its own JVM (as another OS user by {@link SharedCacheUsersTest}).
 * Args: cacheRoot key content. Prints "compiled CONTENT" or "reused CONTENT" (what the module holds), or
 * "error: MESSAGE" and exits 2 on a cache error.
 */
public final class CacheUserMain {
    private CacheUserMain() {
    }

    public static void main(String[] args) throws Exception {
        CompileCache cache = new CompileCache(Path.of(args[0]), CachePoisoningTest.CPU);
        try {
            CompileOutcome out = cache.compileOnce(args[1], w -> Files.writeString(w.resolve("model.cpu"), args[2]));
            System.out.println((out.compiled() ? "compiled " : "reused ") + Files.readString(out.module().path().resolve("model.cpu")));
        } catch (CacheException e) {
            System.out.println("error: " + e.getMessage());
            System.exit(2);
        }
    }
}
