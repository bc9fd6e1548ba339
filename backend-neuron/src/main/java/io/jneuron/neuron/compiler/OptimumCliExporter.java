package io.jneuron.neuron.compiler;

import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.cache.CacheRoot;
import io.jneuron.core.cache.CompilerId;
import io.jneuron.core.cache.PyJson;
import io.jneuron.core.cache.RegistryEntry;
import io.jneuron.core.cache.WrittenEntry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Delegates a whole export to {@code optimum-cli export neuron} (spec optimum-neuron-cache §5), where it is installed,
 * and files the result in the local registry. This is how a Hugging Face checkpoint becomes NEFFs on a Neuron host:
 * tracing a model into HLO needs torch-xla, which Java has not. Immutable and thread-safe.
 */
public final class OptimumCliExporter {
    public static final String EXECUTABLE = "optimum-cli";
    /** The decoder (NxD) export's config file (spec §5.3); traced exports keep a {@code neuron} section in config.json. */
    public static final String NEURON_CONFIG = "neuron_config.json";
    private static final String TOOL_KEY = "optimum_cli";

    private final Path executable;
    private final Map<String, String> environment;
    private final Duration timeout;

    public OptimumCliExporter(Path executable, Map<String, String> environment, Duration timeout) {
        this.executable = Objects.requireNonNull(executable, "executable");
        this.environment = Map.copyOf(environment);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** The optimum-cli that {@code neuron.kernel.optimum_cli}, {@code NEURON_KERNEL_OPTIMUM_CLI} or PATH names, if any. */
    public static Optional<OptimumCliExporter> find() {
        return find(ToolLocator.systemProperties(), System.getenv())
                .map(p -> new OptimumCliExporter(p, Map.of(), NeuronxccDriver.DEFAULT_TIMEOUT));
    }

    static Optional<Path> find(Map<String, String> props, Map<String, String> env) {
        return ToolLocator.find(TOOL_KEY, EXECUTABLE, props, env);
    }

    /** Where {@link #find} looks, for messages. */
    public static String searched() {
        return ToolLocator.searched(TOOL_KEY, EXECUTABLE);
    }

    /**
     * The error for asking the Backend SPI to compile a checkpoint on Neuron: this backend cannot trace a model into
     * HLO, so it says how to get NEFFs instead, and whether optimum-cli is there to do it.
     */
    public static CompileException checkpointCompileUnsupported() {
        String where;
        try {
            where = find().map(e -> "optimum-cli is at " + e.executable())
                    .orElse("optimum-cli was not found (looked at " + searched() + "); pip install optimum-neuron");
        } catch (CompileException e) {
            where = e.getMessage();
        }
        return new CompileException("the neuron backend cannot compile a Hugging Face checkpoint: turning safetensors "
                + "into HLO needs torch-xla tracing, which Java does not have. Export with optimum-cli instead: "
                + OptimumCliExporter.class.getName() + " runs `optimum-cli export neuron --model M --task T "
                + "--batch_size B --sequence_length L --instance_type I OUTPUT` and registers the result (" + where
                + "); or compile an HLO module you already have with " + NeuronxccDriver.class.getName()
                + "; or use --backend cpu", null);
    }

    public Path executable() {
        return executable;
    }

    /**
     * Runs the export (its output lines go to {@code progress} as {@code "optimum-cli: <line>"}), then reads the
     * output's {@code config.json} and its neuron section ({@code neuron_config.json}, else config.json's
     * {@code neuron}) and writes the registry entry under {@code neuronxcc-<compiler version>} in {@code root}.
     *
     * @throws CompileException when optimum-cli fails, times out (its process tree is killed), is interrupted, or
     *     leaves an output without the files named above; the message names the kept log
     */
    public OptimumExport export(OptimumExportRequest request, CacheRoot root, ProgressListener progress) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(request.arguments());
        Path log;
        try {
            log = Files.createTempFile("jneuron-optimum-export", ".log");
        } catch (IOException e) {
            throw new CompileException("cannot create a log file for optimum-cli: " + e.getMessage(), null, e);
        }
        ProcessRunner.Result r;
        try {
            progress.progress("optimum-cli export neuron " + request.model(), 0);
            r = ProcessRunner.run(command, null, environment, timeout, log, line -> progress.progress("optimum-cli: " + line, -1));
        } catch (IOException e) {
            throw new CompileException("cannot run " + executable + ": " + e.getMessage(), log, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompileException("optimum-cli export of " + request.model() + " was interrupted; it and its child "
                    + "processes were killed; its output is in " + log, log, e);
        }
        if (r.timedOut() || r.exitCode() != 0) {
            throw new CompileException("optimum-cli export of " + request.model() + (r.timedOut() ? " did not finish "
                    + "within " + timeout + " and was killed" : " exited with status " + r.exitCode()) + "; its output "
                    + "is in " + log + ", ending:\n" + r.lastLines(), log);
        }
        OptimumExport done = register(request, root, command);
        progress.progress(done.written() == null ? "exported (local model: not registered)"
                : "registered " + done.written().canonical().getFileName(), 1);
        try {
            Files.deleteIfExists(log); // a success keeps nothing outside the output folder
        } catch (IOException e) {
            // A temp log left behind is harmless; the export itself is done and registered.
        }
        return done;
    }

    /** Reads an optimum output folder and files its registry entry; exposed for folders exported elsewhere. */
    public static OptimumExport register(OptimumExportRequest request, CacheRoot root, List<String> command) {
        Path out = request.output();
        Map<String, Object> config = readJson(out.resolve("config.json"), out);
        Map<String, Object> neuron;
        if (Files.isRegularFile(out.resolve(NEURON_CONFIG))) {
            neuron = readJson(out.resolve(NEURON_CONFIG), out);
        } else if (config.get("neuron") instanceof Map<?, ?> section) {
            neuron = new LinkedHashMap<>();
            section.forEach((k, v) -> neuron.put(k.toString(), v));
        } else {
            throw new CompileException(out + " has neither " + NEURON_CONFIG + " nor a 'neuron' section in config.json, "
                    + "so it is not an optimum-neuron export; check the optimum-cli output", null);
        }
        Object version = neuron.containsKey("neuronxcc_version") ? neuron.get("neuronxcc_version")
                : neuron.get("compiler_version");
        if (!(version instanceof String v) || v.isBlank()) {
            throw new CompileException(out + ": the neuron config records no neuronxcc_version or compiler_version, so "
                    + "the entry cannot be filed under a neuronxcc-<version> folder", null);
        }
        CompilerId compiler = new CompilerId(CompilerId.NEURONXCC, v);
        Object checkpoint = neuron.get("checkpoint_id");
        String modelId = checkpoint instanceof String s && !s.isBlank() ? s : request.model();
        Object taskValue = neuron.get("task");
        String task = request.task() != null ? request.task() : taskValue instanceof String s ? s : null;
        if (task == null) {
            throw new CompileException(out + ": no --task was given and the neuron config records none; pass the task "
                    + "(e.g. text-classification)", null);
        }
        RegistryEntry entry = RegistryEntry.create(config, neuron, modelId, task);
        // optimum files no entry for a model exported from a local folder (its id is a path); neither do we.
        WrittenEntry written = Files.isDirectory(Path.of(modelId)) ? null : root.registry().write(compiler, entry);
        return new OptimumExport(out, compiler, entry, written, List.copyOf(command));
    }

    private static Map<String, Object> readJson(Path file, Path out) {
        try {
            return PyJson.parseObject(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new CompileException("cannot read " + file + " from the export in " + out + ": " + e.getMessage(),
                    null, e);
        }
    }
}
