package io.jneuron.core.cache;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A separate JVM exporting into a shared cache, started by {@link CompileCacheProcessesTest}.
 * Args: cacheRoot key journal sleepMillis [hang]. The work appends this pid to the journal (so the test counts
 * compiles), sleeps, writes a 1 MiB artifact in 64 KiB chunks, and in "hang" mode touches journal.started and
 * blocks until killed. Prints "compiled" or "reused".
 */
public final class CompileOnceMain {
    static final List<String> FLAGS = List.of("--model-type=transformer", "--auto-cast=none");

    private CompileOnceMain() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        Path journal = Path.of(args[2]);
        long sleep = Long.parseLong(args[3]);
        boolean hang = args.length > 4 && args[4].equals("hang");
        CompileCache cache = new CompileCache(root, new CompilerId("jneuron-cpu", "0.1.0"));
        CompileOutcome out = cache.compileOnce(args[1], FLAGS, work -> {
            Files.writeString(journal, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
            Thread.sleep(sleep);
            writeArtifact(work.resolve("model.bin"), hang ? journal.resolveSibling(journal.getFileName() + ".started") : null);
        });
        System.out.println(out.compiled() ? "compiled" : "reused");
    }

    static void writeArtifact(Path file, Path startedMarker) throws Exception {
        try (var out = Files.newOutputStream(file)) {
            byte[] chunk = new byte[64 << 10];
            for (int i = 0; i < 16; i++) {
                java.util.Arrays.fill(chunk, (byte) i);
                out.write(chunk);
                out.flush();
                if (startedMarker != null && i == 7) {
                    Files.writeString(startedMarker, "half written");
                    Thread.sleep(600_000); // killed here, mid-write
                }
            }
        }
    }

    /** The artifact's expected content, to prove no half-written file was published. */
    static boolean intact(Path file) throws Exception {
        byte[] b = Files.readAllBytes(file);
        if (b.length != 16 * (64 << 10)) {
            return false;
        }
        for (int i = 0; i < b.length; i++) {
            if (b[i] != (byte) (i / (64 << 10))) {
                return false;
            }
        }
        return true;
    }
}
