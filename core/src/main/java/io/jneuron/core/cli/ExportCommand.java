package io.jneuron.core.cli;

import io.jneuron.core.export.ExportRequest;
import io.jneuron.core.export.ExportResult;
import io.jneuron.core.service.Context;
import io.jneuron.core.service.ExportService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;

/** {@code jneuron export} (docs/cli.md): parses the options into an {@link ExportRequest} for {@link ExportService}. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a checkpoint to a static-shape compiled model folder, reusing the compile cache.")
public final class ExportCommand implements Runnable, ReportCommand {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "Checkpoint folder, or Hub id (downloaded into the Hugging Face cache).")
    String model;

    @Parameters(index = "1", paramLabel = "OUTPUT", description = "Folder to write (replaced if it holds an earlier export).")
    Path output;

    @Option(names = "--task", defaultValue = "text-generation", description = "Task (default ${DEFAULT-VALUE}).")
    String task;

    @Option(names = {"--num_cores", "--tensor_parallel_size"}, description = "NeuronCores to shard over (default 1).")
    Integer numCores;

    @Option(names = "--instance_type", description = "trn1, inf2, trn1n or trn2 (recorded as the target).")
    String instanceType;

    @Option(names = "--optlevel", description = "Compiler optimisation level 1, 2 or 3 (default 2).")
    String optlevel;

    @Option(names = "--cache_dir", description = "Compile cache root (default: NEURON_CC_FLAGS --cache_dir, NEURON_COMPILE_CACHE_URL, /var/tmp/neuron-compile-cache).")
    String cacheDir;

    @Option(names = "--repo_id", description = "Hub cache repo to download a compiled module from on a local miss "
            + "(default: CUSTOM_CACHE_REPO, else the repo `cache set` recorded). Export never uploads to it.")
    String repoId;

    @Option(names = "--push_to_hub", paramLabel = "REPO_ID", description = "Upload the exported folder to this Hub "
            + "model repo (created if missing), so `generate REPO_ID` runs it anywhere without re-exporting.")
    String pushToHub;

    @Mixin
    ShapeOptions shape;

    @Mixin
    CommonOptions common;

    @Override
    public void run() {
        Output.run(spec, common.format(), this);
    }

    /** The parsed options as the service's request. */
    public ExportRequest request() {
        return new ExportRequest(model, output, task, shape.request(), numCores, instanceType, optlevel, cacheDir);
    }

    @Override
    public ExportResult report(Context ctx) {
        return ExportService.export(request(), repoId, pushToHub, common.apply(ctx));
    }
}
