package io.jneuron.core.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.Settings;
import io.jneuron.core.export.ExportedModel;
import io.jneuron.core.export.ModelOpener;
import io.jneuron.core.report.Render;
import io.jneuron.core.shape.DType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code jneuron bench}: load time, prefill and decode speed over several fresh JVMs (min / median /
 * max), and each JVM's peak RSS. Each run loads the exported model, generates {@code --warmup} times
 * to warm the JIT, then reports the median of {@code --iterations} timed generations; the parent
 * only exports (once) and aggregates.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure load time, prefill and decode tokens/s (fresh JVM per run) and peak RSS.")
final class BenchCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL")
    String model;

    @Option(names = "--prompt-length", defaultValue = "128", description = "Prompt tokens (default ${DEFAULT-VALUE}).")
    int promptLength;

    @Option(names = "--new-tokens", defaultValue = "64", description = "Generated tokens (default ${DEFAULT-VALUE}).")
    int newTokens;

    @Option(names = "--runs", defaultValue = "3", description = "Fresh JVMs to run (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warmup", defaultValue = "1", description = "Untimed generations per JVM before the timed ones; the first "
            + "is reported as cold_* (default ${DEFAULT-VALUE}; 0 still runs one cold generation).")
    int warmup;

    @Option(names = "--iterations", defaultValue = "3", description = "Timed generations per JVM; their median is the JVM's result (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--in-process", description = "Run one measurement in this JVM (what each fresh JVM does).")
    boolean inProcess;

    @Option(names = "--against", paramLabel = "BASELINE", description = "Compare with BASELINE (same vocabulary) in one "
            + "JVM: the two models' timed generations alternate, and the per-pair ratio's median is printed (JSON).")
    String against;

    @Mixin
    ShapeOptions shape;

    @Mixin
    CommonOptions common;

    @Option(names = "--format", defaultValue = "text", description = "Output: text, html or json (one document on stdout).")
    String format;

    @Option(names = "--cache_dir", description = "Compile cache root for a checkpoint compiled on the fly (default: as export).")
    String cacheDir;

    static final String[] METRICS = {"load_ms", "cold_prefill_tok_s", "cold_decode_tok_s", "prefill_tok_s",
        "decode_tok_s", "ttft_ms", "peak_rss_mb"};

    @Override
    public void run() {
        if (promptLength < 1 || newTokens < 1 || runs < 1 || iterations < 1 || warmup < 0) {
            throw new NeuronKernelException("--prompt-length, --new-tokens, --runs and --iterations must be at least 1, "
                    + "--warmup at least 0");
        }
        PrintWriter out = spec.commandLine().getOut();
        Settings settings = cacheDir == null ? common.settings() : common.settings().withCacheDir(cacheDir);
        if (against != null) {
            out.println(BenchPair.measure(model, against, shape.request(), settings, promptLength, newTokens, warmup,
                    iterations));
            return;
        }
        if (inProcess) {
            out.println(BenchRun.measure(model, shape.request(), settings, promptLength, newTokens, warmup, iterations));
            return;
        }
        ExportedModel exported = ModelOpener.prepare(model, shape.request(), settings,
                json() ? (s, f) -> { } : Output.stderrProgress(spec.commandLine().getErr())).exported();
        List<JsonNode> results = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            results.add(child(exported, settings));
        }
        ObjectNode report = BenchRun.JSON.createObjectNode().put("model", model).put("export", exported.folder().toString())
                .put("backend", exported.backend()).put("shape", exported.shape().toString())
                .put("threads", settings.threads()).put("prompt_length", promptLength).put("new_tokens", newTokens);
        try {
            report.put("artifact_mb", Files.size(exported.artifactPath()) / 1e6);
        } catch (IOException e) {
            throw new NeuronKernelException("cannot stat " + exported.artifactPath() + ": " + e.getMessage(), e);
        }
        ArrayNode runsNode = report.putArray("runs");
        results.forEach(runsNode::add);
        ObjectNode summary = report.putObject("summary");
        for (String metric : METRICS) {
            double[] v = results.stream().mapToDouble(r -> r.path(metric).asDouble()).sorted().toArray();
            summary.putObject(metric).put("min", v[0]).put("median", median(v)).put("max", v[v.length - 1]);
        }
        if (json()) {
            out.println(report);
        } else {
            printText(out, report);
        }
    }

    private boolean json() {
        return Render.Format.parse(format) == Render.Format.JSON;
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Runs {@code bench --in-process} in a fresh JVM with this JVM's flags and class path. */
    private JsonNode child(ExportedModel exported, Settings settings) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(Arrays.asList("-cp", System.getProperty("java.class.path"), Main.class.getName(), "bench",
                model, "--in-process", "--format", "json",
                // The shapes prepared here, so a checkpoint's child run finds the same module in the compile cache.
                "--batch_size", Integer.toString(exported.shape().batchSize()),
                "--sequence_length", Integer.toString(exported.shape().sequenceLength()),
                exported.shape().dtype() == DType.INT8 ? "--quantization" : "--auto_cast_type",
                exported.shape().dtype().cliName(), "--buckets",
                exported.shape().buckets().sizes().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")),
                "--prompt-length", Integer.toString(promptLength), "--new-tokens", Integer.toString(newTokens),
                "--warmup", Integer.toString(warmup), "--iterations", Integer.toString(iterations),
                "--threads", Integer.toString(settings.threads()), "--backend", exported.backend()));
        if (settings.cacheDir() != null) {
            cmd.addAll(List.of("--cache_dir", settings.cacheDir()));
        }
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
            p.getOutputStream().close();
            byte[] stdout = p.getInputStream().readAllBytes();
            String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = p.waitFor();
            if (code != 0) {
                throw new NeuronKernelException("benchmark run failed (exit " + code + "): " + stderr.strip());
            }
            return BenchRun.JSON.readTree(stdout);
        } catch (IOException e) {
            throw new NeuronKernelException("cannot start a benchmark JVM: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NeuronKernelException("benchmark interrupted");
        }
    }

    private static void printText(PrintWriter out, JsonNode r) {
        out.printf(Locale.ROOT, "model %s (%s, %s), %d threads, %d-token prompt, %d new tokens, artifact %.1f MB%n",
                r.get("model").asText(), r.get("backend").asText(), r.get("shape").asText(), r.get("threads").asInt(),
                r.get("prompt_length").asInt(), r.get("new_tokens").asInt(), r.get("artifact_mb").asDouble());
        out.printf(Locale.ROOT, "%-14s %10s %10s %10s%n", "metric", "min", "median", "max");
        for (String m : METRICS) {
            JsonNode s = r.get("summary").get(m);
            out.printf(Locale.ROOT, "%-14s %10.1f %10.1f %10.1f%n", m, s.get("min").asDouble(),
                    s.get("median").asDouble(), s.get("max").asDouble());
        }
    }
}
