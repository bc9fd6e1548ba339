package io.jneuron.neuron.compiler;

import io.jneuron.core.files.AtomicFiles;
import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.cache.CacheException;
import io.jneuron.core.cache.CacheRoot;
import io.jneuron.core.cache.CompileCache;
import io.jneuron.core.cache.CompileOutcome;
import io.jneuron.core.cache.CompilerId;
import io.jneuron.core.cache.ModuleDir;
import io.jneuron.core.cache.ModuleState;
import io.jneuron.core.cache.OptimumCompat;
import io.jneuron.neuron.neff.NeffFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Drives {@code neuronx-cc} over one serialized {@code HloModuleProto}, with libneuronxla's compile cache semantics
 * (spec neuron-runtime §3.3, optimum-neuron-cache §1.2-§1.3, §4): the NEFF lands in
 * {@code neuronxcc-<full version>/MODULE_<graph key>+<flags hash>/} beside {@code model.hlo_module.pb},
 * {@code compile_flags.json} and, last, {@code model.done}; one process compiles while the others wait on the lock;
 * a failure leaves the compiler's output as {@code model.log} and blocks recompiles until {@code retryFailed}.
 * It cannot produce HLO from a checkpoint (that needs torch-xla tracing): see {@link OptimumCliExporter}.
 *
 * <p>Immutable and thread-safe; the {@code --version} answer is asked once per instance and remembered.
 */
public final class NeuronxccDriver {
    /** The executable searched on PATH after the {@code neuron.kernel.neuronx_cc} / {@code NEURON_KERNEL_NEURONX_CC} override. */
    public static final String EXECUTABLE = "neuronx-cc";
    /** FACT [HUB]: the HLO file name in a current MODULE folder. */
    public static final String HLO_FILE = "model.hlo_module.pb";
    public static final String LOG_FILE = "model.log";
    /** CHOICE: long enough for a large decoder graph at -O2 on a busy host; callers lower it with {@link #withTimeout}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(2);
    /** FACT [AWS]: the wrapper flag (in NEURON_CC_FLAGS) that recompiles a failed module; never sent to the compiler. */
    public static final String RETRY_FAILED_FLAG = "--retry_failed_compilation";
    private static final Duration VERSION_TIMEOUT = Duration.ofMinutes(1);
    private static final String TOOL_KEY = "neuronx_cc";

    private final Path executable;
    private final Map<String, String> environment;
    private final Duration timeout;
    private volatile NeuronxccVersion version;

    /**
     * @param executable the neuronx-cc to run
     * @param environment variables added to this process's environment for every run (e.g. {@code NEURON_CC_FLAGS})
     */
    public NeuronxccDriver(Path executable, Map<String, String> environment, Duration timeout) {
        this.executable = Objects.requireNonNull(executable, "executable");
        this.environment = Map.copyOf(environment);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new CompileException("the neuronx-cc timeout must be positive, got " + timeout, null);
        }
        this.timeout = timeout;
    }

    /** The neuronx-cc the override or PATH names, with no extra environment and {@link #DEFAULT_TIMEOUT}. */
    public static NeuronxccDriver locate() {
        Path p = find(ToolLocator.systemProperties(), System.getenv()).orElseThrow(() -> new CompileException(
                "neuronx-cc not found (looked at " + ToolLocator.searched(TOOL_KEY, EXECUTABLE) + "); install the Neuron "
                        + "SDK compiler (pip install neuronx-cc) or set NEURON_KERNEL_NEURONX_CC", null));
        return new NeuronxccDriver(p, Map.of(), DEFAULT_TIMEOUT);
    }

    static Optional<Path> find(Map<String, String> props, Map<String, String> env) {
        return ToolLocator.find(TOOL_KEY, EXECUTABLE, props, env);
    }

    public NeuronxccDriver withTimeout(Duration t) {
        return new NeuronxccDriver(executable, environment, t);
    }

    public NeuronxccDriver withEnvironment(Map<String, String> env) {
        return new NeuronxccDriver(executable, env, timeout);
    }

    public Path executable() {
        return executable;
    }

    public Duration timeout() {
        return timeout;
    }

    /** Runs {@code neuronx-cc --version} (once) and parses its first line. */
    public NeuronxccVersion version() {
        NeuronxccVersion v = version;
        if (v == null) {
            StringBuilder out = new StringBuilder();
            ProcessRunner.Result r = runQuietly(List.of(executable.toString(), "--version"), VERSION_TIMEOUT,
                    line -> out.append(line).append('\n'));
            if (r.exitCode() != 0) {
                throw new CompileException("`" + executable + " --version` " + (r.timedOut() ? "did not answer within "
                        + VERSION_TIMEOUT : "exited with status " + r.exitCode()) + ": " + r.lastLines(), null);
            }
            v = NeuronxccVersion.fromVersionOutput(out.toString(), executable.toString());
            version = v;
        }
        return v;
    }

    /** {@code neuronxcc-<full version>}, the cache folder this compiler's modules go to. */
    public CompilerId compilerId() {
        return version().compilerId();
    }

    /**
     * CHOICE (spec optimum-neuron-cache §1.3: libneuronxla's callers hash the protobuf text format, which Java cannot
     * reproduce, so keys are opaque): the graph key is the first 20 hex of SHA-256 over the serialized HLO bytes, the
     * same length as NxD's keys. Equal graphs serialized alike share a module; we never reuse a Python-made key.
     */
    public static String graphKey(byte[] hloModule) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(hloModule)).substring(0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The command line for one compile (spec §3.1): {@code compile --framework=XLA <hlo> <flags> --output= --logfile=}. */
    public List<String> command(Path hlo, NeuronxccFlags flags, Path neff, Path logfile) {
        List<String> cmd = new ArrayList<>(List.of(executable.toString(), "compile", "--framework=XLA", hlo.toString()));
        cmd.addAll(flags.flags());
        cmd.add("--output=" + neff);
        cmd.add("--logfile=" + logfile);
        return cmd;
    }

    /**
     * Compiles {@code hloFile} into the cache under {@code root}, or returns the module compiled before. Lines the
     * compiler prints go to {@code progress} as {@code "neuronx-cc: <line>"} with fraction -1.
     *
     * @param retryFailed recompile a module that failed before; also on when {@code NEURON_CC_FLAGS} (this process's
     *     or the driver's environment) holds {@code --retry_failed_compilation}
     * @throws CompileException when neuronx-cc fails, writes no valid NEFF, exceeds the timeout (its tree is killed;
     *     the module is left failed with the output in {@code model.log}), is interrupted (killed; nothing is cached,
     *     the thread stays interrupted), or when the module failed before and {@code retryFailed} is off
     * @throws CacheException for lock waits, stale locks and cache I/O, as {@link CompileCache#compileOnce} reports them
     */
    public NeffModule compile(Path hloFile, NeuronxccFlags flags, CacheRoot root, boolean retryFailed,
                              ProgressListener progress) {
        byte[] hlo;
        try {
            hlo = Files.readAllBytes(hloFile);
        } catch (IOException e) {
            throw new CompileException("cannot read the HLO module " + hloFile + ": " + e.getMessage(), null, e);
        }
        String key = graphKey(hlo);
        List<String> list = flags.flags();
        boolean retry = retryFailed || retryFromEnvironment();
        CompileCache cache = root.compileCache(compilerId()).withRetryFailed(retry);
        ModuleDir before = cache.module(key, list);
        if (before.state() == ModuleState.FAILED && !retry) {
            throw new CompileException(before.name() + " failed to compile before; its log is " + before.log()
                    + ". Fix the cause, then recompile with retryFailed (NEURON_CC_FLAGS=" + RETRY_FAILED_FLAG + ")",
                    before.log());
        }
        progress.progress("neuronx-cc " + before.name(), 0);
        CompileOutcome outcome;
        try {
            outcome = cache.compileOnce(key, list, work -> runCompile(work, hlo, flags, before, progress));
        } catch (CacheException e) {
            if (e.getCause() instanceof InterruptedException && Thread.currentThread().isInterrupted()) {
                throw new CompileException("the compile of " + before.name() + " was interrupted; neuronx-cc and its "
                        + "child processes were killed and nothing was cached", null, e);
            }
            throw e;
        }
        progress.progress(outcome.compiled() ? "compiled " + before.name() : "cache hit " + before.name(), 1);
        return new NeffModule(outcome.module(), outcome.module().path().resolve(OptimumCompat.NEFF), key, list,
                outcome.compiled());
    }

    /** The work run under the module lock, in a private folder whose files become the module. */
    private void runCompile(Path work, byte[] hlo, NeuronxccFlags flags, ModuleDir module, ProgressListener progress)
            throws IOException, InterruptedException {
        Path hloCopy = work.resolve(HLO_FILE);
        Files.write(hloCopy, hlo);
        Path neff = work.resolve(OptimumCompat.NEFF);
        Path log = work.resolve(LOG_FILE); // kept as the module's model.log when this throws (CompileCache)
        // The compiler's own scratch files and --logfile stay out of the module folder.
        Path scratch = Files.createDirectory(work.resolve("neuronx-cc-workdir"));
        Path ccLog = scratch.resolve("log-neuron-cc.txt");
        ProcessRunner.Result r = ProcessRunner.run(command(hloCopy, flags, neff, ccLog), scratch, environment, timeout,
                log, line -> progress.progress("neuronx-cc: " + line, -1));
        String what = " compiling " + module.name() + " for " + flags.target();
        String next = ". Fix the cause, then recompile with retryFailed (NEURON_CC_FLAGS=" + RETRY_FAILED_FLAG + ")";
        if (r.timedOut()) {
            appendCompilerLog(log, ccLog);
            throw new CompileException("neuronx-cc did not finish within " + timeout + what + "; killed it and its "
                    + "children (" + r.killed() + " process(es)). Its output is in " + module.log() + next
                    + " and a longer timeout", module.log());
        }
        if (r.exitCode() != 0) {
            appendCompilerLog(log, ccLog);
            throw new CompileException("neuronx-cc exited with status " + r.exitCode() + what + "; its output is in "
                    + module.log() + ", ending:\n" + r.lastLines() + "\n" + next.substring(2), module.log());
        }
        try {
            NeffFile.Info info = NeffFile.inspect(neff);
            progress.progress("neuronx-cc: wrote " + info.header().dataSize() + " payload bytes", -1);
        } catch (IOException | RuntimeException e) {
            appendCompilerLog(log, ccLog);
            throw new CompileException("neuronx-cc exited with status 0" + what + " but " + neff.getFileName()
                    + " is missing or not a NEFF (" + e.getMessage() + "); its output is in " + module.log(),
                    module.log(), e);
        }
        // Success: no model.log may reach the module, and the scratch folder is not part of the layout.
        Files.delete(log);
        AtomicFiles.deleteTree(scratch);
    }

    private static void appendCompilerLog(Path log, Path ccLog) throws IOException {
        if (Files.isRegularFile(ccLog)) {
            Files.write(log, ("---- " + ccLog.getFileName() + "\n").getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Files.write(log, Files.readAllBytes(ccLog), StandardOpenOption.APPEND);
        }
    }

    private boolean retryFromEnvironment() {
        String flags = environment.getOrDefault("NEURON_CC_FLAGS", System.getenv().getOrDefault("NEURON_CC_FLAGS", ""));
        return List.of(flags.trim().split("\\s+")).contains(RETRY_FAILED_FLAG);
    }

    private ProcessRunner.Result runQuietly(List<String> cmd, Duration limit, java.util.function.Consumer<String> lines) {
        try {
            return ProcessRunner.run(cmd, null, environment, limit, null, lines);
        } catch (IOException e) {
            throw new CompileException("cannot run " + cmd.get(0) + ": " + e.getMessage(), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompileException("interrupted while running `" + String.join(" ", cmd) + "`", null, e);
        }
    }
}
