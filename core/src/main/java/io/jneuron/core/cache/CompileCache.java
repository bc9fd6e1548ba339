package io.jneuron.core.cache;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.cache.internal.ModuleDigests;
import io.jneuron.core.files.AtomicFiles;
import io.jneuron.core.files.SharedFolders;
import io.jneuron.core.hub.internal.Hashing;
import io.jneuron.core.cache.internal.ModuleInspector;
import io.jneuron.core.cache.internal.ModuleLock;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One compiler's folder of the local compile cache ({@code <root>/neuronxcc-<v>/} or {@code <root>/jneuron-cpu-<v>/})
 * and its {@code MODULE_*} folders. {@link #compileOnce} is safe across threads and processes sharing the
 * folder: one of them compiles, the others wait and reuse the result. Immutable and thread-safe.
 *
 * @param waitTimeout how long to wait for another process's compile ({@link #withWaitTimeout})
 * @param retryFailed whether a FAILED module is compiled again ({@link #withRetryFailed})
 */
public record CompileCache(Path root, CompilerId compiler, Duration waitTimeout, boolean retryFailed) {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9]{1,64}");
    private static final Duration MAX_POLL = Duration.ofSeconds(1);

    public CompileCache {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(compiler, "compiler");
    }

    public CompileCache(Path root, CompilerId compiler) {
        this(root, compiler, OptimumCompat.DEFAULT_WAIT, false);
    }

    /** A copy that waits at most {@code timeout} for another process's compile. */
    public CompileCache withWaitTimeout(Duration timeout) {
        return new CompileCache(root, compiler, timeout, retryFailed);
    }

    /**
     * A copy that recompiles a FAILED module instead of refusing, as libneuronxla's
     * {@code --retry_failed_compilation} does. A module that another process is compiling when this one looks
     * is not retried again: that compile's verdict stands for this call.
     */
    public CompileCache withRetryFailed(boolean retry) {
        return new CompileCache(root, compiler, waitTimeout, retry);
    }

    /** {@code <root>/<compiler folder>}. */
    public Path dir() {
        return root.resolve(compiler.folderName());
    }

    /** The registry of this cache root; {@code registry().write(compiler(), entry)} files an entry for this compiler. */
    public Registry registry() {
        return Registry.local(root);
    }

    /**
     * libneuronxla's flags hash: the first 8 hex of the MD5 of {@code json.dumps(flags)}, which is also the
     * content of {@code compile_flags.json} (spec §1.3).
     */
    public static String flagsHash(List<String> flags) {
        return Hashing.hex("MD5", flagsJson(flags)).substring(0, 8);
    }

    private static String flagsJson(List<String> flags) {
        return PyJson.dumps(flags, PyJson.Style.COMPACT);
    }

    /** The NEFF-level module {@code MODULE_<key>+<flags hash>}, as it is now. */
    public ModuleDir module(String key, List<String> flags) {
        return ModuleInspector.inspect(dir().resolve(moduleName(key, flags)), compiler.isNeuronxcc());
    }

    /** The traced-model module {@code MODULE_<entry hash>} (no flags), as it is now. */
    public ModuleDir module(String entryHash) {
        return ModuleInspector.inspect(dir().resolve(moduleName(entryHash, null)), compiler.isNeuronxcc());
    }

    /** Every {@code MODULE_*} folder of this compiler, as they are now. */
    public List<ModuleDir> modules() {
        // A linked module is listed (as corrupt) so that status shows it and cleanup removes the link.
        return ModuleInspector.list(dir()).stream().filter(name -> name.startsWith("MODULE_")).map(dir()::resolve)
                .filter(p -> Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p))
                .map(p -> ModuleInspector.inspect(p, compiler.isNeuronxcc()))
                .sorted(java.util.Comparator.comparing(ModuleDir::name)).toList();
    }

    /** {@link #compileOnce(String, List, CompileWork)} for a traced {@code MODULE_<entry hash>}. */
    public CompileOutcome compileOnce(String entryHash, CompileWork work) {
        return compileOnce(entryHash, null, work);
    }

    /**
     * Returns the compiled module, compiling it at most once across every process sharing this cache. If it is
     * compiled already, returns at once. If another live process holds its lock, waits for it (up to the wait
     * timeout) and reuses its result. Otherwise takes the lock, runs {@code work} in a private temp folder,
     * moves the files into place, writes {@code compile_flags.json} and then {@code model.done} last.
     *
     * @param flags the compiler flags, or null for a traced module
     * @throws CacheException when the module failed before ({@code model.log}; clear it with cleanup, or use
     *     {@link #withRetryFailed}), when its
     *     lock is stale (names the command that clears it), on wait timeout, or on I/O failure
     * @throws NeuronKernelException the work's own exception, after {@code model.log} is written
     */
    public CompileOutcome compileOnce(String key, List<String> flags, CompileWork work) {
        Path dir = dir().resolve(moduleName(key, flags));
        refuseLinks(dir);
        Instant deadline = Instant.now().plus(waitTimeout);
        Duration poll = Duration.ofMillis(20);
        boolean mayRetry = retryFailed;
        while (true) {
            ModuleDir m = ModuleInspector.inspect(dir, compiler.isNeuronxcc());
            switch (m.state()) {
                case SUCCESS:
                    if (ModuleDigests.mismatch(dir, false).isEmpty()) {
                        return new CompileOutcome(m, false);
                    }
                    break; // swapped or damaged since it was compiled: never used, compiled again under the lock
                case CORRUPT:
                    break;
                case FAILED:
                    if (mayRetry) {
                        mayRetry = false;
                        break; // compileLocked clears the old model.log under the lock
                    }
                    throw new CacheException(m.name() + " failed to compile before (log: " + m.log() + "); fix the "
                            + "cause, then run `" + clearCommand() + "` to remove the failed entry and retry");
                case LOCKED:
                    mayRetry = false;
                    if (m.lock().stale()) {
                        throw new CacheException(m.name() + " is locked by " + m.lock().describe()
                                + "; a killed compile left the lock. Run `" + clearCommand() + "` to clear it");
                    }
                    if (Instant.now().isAfter(deadline)) {
                        throw new CacheException("gave up after " + waitTimeout + " waiting for " + m.name()
                                + ", locked by " + m.lock().describe() + "; wait for that compile or stop it");
                    }
                    sleep(poll);
                    poll = poll.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : poll.multipliedBy(2);
                    continue;
                default:
                    break;
            }
            try {
                AtomicFiles.createDirectories(dir);
                var lock = ModuleLock.tryAcquire(dir.resolve(OptimumCompat.LOCK_FILE));
                if (lock.isEmpty()) {
                    continue; // another process won the race: wait for it like any other holder
                }
                boolean compiled;
                try {
                    compiled = compileLocked(dir, flags, work);
                } finally {
                    lock.get().close();
                }
                // Inspect after the lock is gone, so the snapshot shows what every other process now sees.
                return new CompileOutcome(ModuleInspector.inspect(dir, compiler.isNeuronxcc()), compiled);
            } catch (IOException e) {
                throw new CacheException(SharedFolders.denied(dir, e), e);
            }
        }
    }

    /** Runs the work under the lock; false when another process finished the module first. */
    private boolean compileLocked(Path dir, List<String> flags, CompileWork work) throws IOException {
        if (ModuleInspector.inspect(dir, compiler.isNeuronxcc()).state() == ModuleState.SUCCESS
                && ModuleDigests.mismatch(dir, false).isEmpty()) {
            return false; // another process finished between our look and our lock
        }
        clearLeftovers(dir); // a killed compile's partial files, an old model.log
        Path tmp = dir.resolve(AtomicFiles.TEMP_PREFIX + ProcessHandle.current().pid() + "-" + UUID.randomUUID());
        Files.createDirectory(tmp);
        try {
            runWork(dir, tmp, work);
            List<String> produced = ModuleInspector.list(tmp);
            produced.remove(ModuleInspector.DONE);
            if (produced.isEmpty() || (compiler.isNeuronxcc() && !produced.contains(OptimumCompat.NEFF))) {
                throw failed(dir, tmp, new CacheException("the compile of " + dir.getFileName() + " produced "
                        + (produced.isEmpty() ? "no files" : "no " + OptimumCompat.NEFF + " (only " + produced + ")")
                        + "; this is a bug in the backend's compiler"));
            }
            if (flags != null && !produced.contains(ModuleInspector.FLAGS)) {
                AtomicFiles.write(tmp.resolve(ModuleInspector.FLAGS), flagsJson(flags).getBytes(StandardCharsets.UTF_8));
                produced.add(ModuleInspector.FLAGS);
            }
            for (String name : produced) {
                AtomicFiles.move(tmp.resolve(name), dir.resolve(name));
                SharedFolders.inherit(dir.resolve(name)); // the compiler made it with the umask
            }
            ModuleDigests.writeDone(dir, produced); // last: marks the module complete, with what it holds
        } finally {
            AtomicFiles.deleteTree(tmp);
        }
        return true;
    }

    private void runWork(Path dir, Path tmp, CompileWork work) throws IOException {
        try {
            work.compile(tmp);
        } catch (InterruptedException | ClosedByInterruptException e) {
            Thread.currentThread().interrupt();
            if (OptimumCompat.INTERRUPT_POISONS) {
                throw failed(dir, tmp, new CacheException("compile of " + dir.getFileName() + " was interrupted", e));
            }
            throw new CacheException("compile of " + dir.getFileName() + " was interrupted; nothing was cached", e);
        } catch (RuntimeException e) {
            throw failed(dir, tmp, e);
        } catch (Exception e) {
            throw failed(dir, tmp, new CacheException("compile of " + dir.getFileName() + " failed: " + e, e));
        }
    }

    /**
     * Records the failure as libneuronxla does ({@code model.log}, no neff) and returns what to throw. A
     * {@code model.log} the work wrote (a compiler's own output) comes first, so the module keeps the compiler's
     * diagnosis and not only our stack trace.
     */
    private RuntimeException failed(Path dir, Path tmp, RuntimeException e) {
        StringWriter log = new StringWriter();
        Path workLog = tmp.resolve(ModuleInspector.LOG);
        try {
            if (Files.isRegularFile(workLog, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                String own = new String(Files.readAllBytes(workLog), StandardCharsets.UTF_8); // lenient: logs need not be UTF-8
                log.write(own.isEmpty() || own.endsWith("\n") ? own : own + "\n");
                log.write("---- jneuron: the compile failed with\n");
            }
        } catch (IOException | java.io.UncheckedIOException io) {
            e.addSuppressed(io);
        }
        e.printStackTrace(new PrintWriter(log));
        try {
            clearLeftovers(dir);
            AtomicFiles.write(dir.resolve(ModuleInspector.LOG), log.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException io) {
            e.addSuppressed(io);
        }
        if (e instanceof NeuronKernelException) {
            return e;
        }
        return new CacheException("compile of " + dir.getFileName() + " failed: " + e + " (log: "
                + dir.resolve(ModuleInspector.LOG) + "); fix the cause and run `" + clearCommand() + "` to retry", e);
    }

    /** Deletes everything in a locked module but the lock and our live temp folder. */
    private static void clearLeftovers(Path dir) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.equals(OptimumCompat.LOCK_FILE) && !n.startsWith(AtomicFiles.TEMP_PREFIX + ProcessHandle.current().pid() + "-")) {
                    AtomicFiles.deleteTree(p);
                }
            }
        }
    }

    /** A compiler or module folder that is a link could lead anywhere: refused, never followed. */
    private void refuseLinks(Path module) {
        for (Path p : new Path[] {dir(), module}) {
            if (Files.isSymbolicLink(p)) {
                throw new CacheException(p + " is a symbolic link; the cache never uses a folder reached through a link "
                        + "(it could hold anyone's files); remove the link (rm " + p + "), or use another --cache_dir");
            }
        }
    }

    private String clearCommand() {
        return "jneuron cache cleanup --cache_dir " + root;
    }

    static String moduleName(String key, List<String> flags) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new CacheException("module key '" + key + "' must be 1-64 letters or digits (a graph key or an "
                    + "entry hash); it names a folder, so nothing else is accepted");
        }
        return "MODULE_" + key + (flags == null ? "" : "+" + flagsHash(flags));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CacheException("interrupted while waiting for another process's compile; nothing changed", e);
        }
    }
}
