package io.jneuron.core.service;

import io.jneuron.core.cache.CleanupOptions;
import io.jneuron.core.export.ExportRequest;
import io.jneuron.core.export.ExportResult;

import io.jneuron.core.pipeline.PipelineRequest;
import io.jneuron.core.pipeline.PipelineResult;

import java.util.List;
import java.util.Map;

/**
 * The engine from Java code, e.g. a JShell cell:
 * {@code var r = Jneuron.export(ExportRequest.of("/models/tiny", "/tmp/out").withShape(1, 128))},
 * {@code Jneuron.lookup("/models/tiny")}, {@code Jneuron.pipeline("feature-extraction", "/tmp/minilm-cpu", "Hello")}. Each call is one service call in the process environment
 * ({@link Context#fromEnvironment()}) and returns the result object the CLI and the magics render: data, with a
 * headline, a table and a JSON document. For progress, a Hub repo or other options call the services directly with
 * your own {@link Context}.
 *
 * <p>A new verb is a service method returning a {@link io.jneuron.core.report.Report}, one line here, a picocli
 * command that fills its request, and (for notebooks) a magic that runs that command.
 */
public final class Jneuron {
    private Jneuron() {
    }

    /** Exports with default shapes (batch 1, the model's sequence length up to 1024, fp32). */
    public static ExportResult export(String model, String output) {
        return export(ExportRequest.of(model, output));
    }

    public static ExportResult export(ExportRequest request) {
        return ExportService.export(request, null, null, Context.fromEnvironment());
    }

    public static CacheResults.Lookup lookup(String model) {
        return lookup(CacheService.LookupRequest.of(model));
    }

    public static CacheResults.Lookup lookup(CacheService.LookupRequest request) {
        return CacheService.lookup(request, Context.fromEnvironment());
    }

    /** Greedy generation from {@code prompt}; MODEL is an exported folder or a checkpoint (exported on the fly). */
    public static Generation generate(String model, String prompt, int maxNewTokens) {
        return generate(GenerateService.Request.of(model, prompt, maxNewTokens));
    }

    public static Generation generate(GenerateService.Request request) {
        return GenerateService.generate(request, null, Context.fromEnvironment());
    }

    /** Runs an encoder task on {@code inputs}; MODEL is an exported folder or a Hub id of one. */
    public static PipelineResult pipeline(String task, String model, String... inputs) {
        return pipeline(PipelineRequest.of(task, model, List.of(inputs)));
    }

    /** A pipeline with every option ({@code question}/{@code context}, {@code top_k}, shapes, pooling, truncation). */
    public static PipelineResult pipeline(PipelineRequest request) {
        return PipelineService.run(request, Context.fromEnvironment());
    }

    /** {@code cacheDir} null: the compile cache root from the environment. */
    public static CacheResults.Models list(String cacheDir) {
        return CacheService.list(cacheDir, Context.fromEnvironment());
    }

    public static CacheResults.Status status(String cacheDir) {
        return CacheService.status(cacheDir, Map.of(), Context.fromEnvironment());
    }

    /** Removes failed entries and stale locks (with {@code all}, empty entries too). */
    public static CacheResults.Cleanup cleanup(String cacheDir, boolean all, boolean dryRun) {
        return CacheService.cleanup(cacheDir, new CleanupOptions(all, false, false, dryRun, Map.of()),
                Context.fromEnvironment());
    }

    public static CacheResults.Verify verify(String cacheDir) {
        return CacheService.verify(null, cacheDir, null, Context.fromEnvironment());
    }

    /** Uploads a folder (e.g. an export) to a Hub model repo in one commit, creating the repo when missing. */
    public static HubService.Upload upload(String repo, String localDir, boolean isPrivate) {
        return HubService.upload(repo, java.nio.file.Path.of(localDir), isPrivate, Context.fromEnvironment());
    }

    /** Downloads every file of a Hub model repo into the Hugging Face cache. */
    public static HubService.Download download(String repo) {
        return HubService.download(repo, Context.fromEnvironment());
    }

    /** The backends found, which one is selected, and why the others are unavailable. */
    public static BackendList backends() {
        return BackendList.probe(Context.fromEnvironment().settings());
    }
}
