package io.jneuron.core.cli;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.export.ExportRequest;
import io.jneuron.core.export.ExportResult;
import io.jneuron.core.service.Context;
import io.jneuron.core.service.ExportService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;

/** {@code jneuron export} (docs/cli.md): parses the options into an {@link ExportRequest} for {@link ExportService}. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a checkpoint to a static-shape compiled model folder, reusing the compile cache.")
public final class ExportCommand extends ReportCommand {
    // One list, so both "MODEL OUTPUT" and optimum-cli's "--model MODEL OUTPUT" parse; request() tells them apart.
    @Parameters(arity = "1..2", paramLabel = "[MODEL] OUTPUT", hideParamSyntax = true,
            description = "MODEL: checkpoint folder, or Hub id "
            + "(downloaded into the Hugging Face cache). OUTPUT: folder to write (replaced if it holds an earlier "
            + "export). With --model, OUTPUT alone.")
    List<String> positionals;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", description = "MODEL as an option, as optimum-cli takes it.")
    String modelOption;

    @Option(names = "--task", defaultValue = "text-generation", description = "Task (default ${DEFAULT-VALUE}).")
    String task;

    @Option(names = {"--num_cores", "--tensor_parallel_size"}, description = "NeuronCores to shard over (default 1).")
    Integer numCores;

    @Option(names = "--instance_type", description = "trn1, inf2, trn1n or trn2 (recorded as the target).")
    String instanceType;

    @Option(names = {"-O", "--optlevel"}, paramLabel = "LEVEL", description = "Compiler optimisation level: -O1, -O2 "
            + "or -O3 as optimum-cli takes it (default 2); recorded as the entry's optlevel.")
    String optlevel;

    @Option(names = "--auto_cast", paramLabel = "none|matmul|all", completionCandidates = AutoCasts.class,
            description = "Which operations are cast to --auto_cast_type (bf16 unless given), as optimum-cli: none "
                    + "keeps fp32. Default: matmul when --auto_cast_type is bf16 or fp16, else none. The cpu backend "
                    + "casts matmul weights only (no 'all'). Recorded as the entry's auto_cast.")
    String autoCast;

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

    /** The parsed options as the service's request. */
    public ExportRequest request() {
        List<String> p = positionals == null ? List.of() : positionals;
        String model;
        String output;
        if (modelOption != null) {
            if (p.size() != 1) {
                throw new NeuronKernelException("MODEL given twice: --model " + modelOption + " and '" + p.get(0)
                        + "'; give either --model MODEL OUTPUT or MODEL OUTPUT");
            }
            model = modelOption;
            output = p.get(0);
        } else {
            if (p.size() != 2) {
                throw new NeuronKernelException("export needs MODEL and OUTPUT (or --model MODEL and OUTPUT); got only '"
                        + String.join(" ", p) + "'");
            }
            model = p.get(0);
            output = p.get(1);
        }
        return new ExportRequest(model, Path.of(output), task, shape.request(), numCores, instanceType, optlevel,
                cacheDir, autoCast);
    }

    /** {@code --auto_cast}'s values, for completion. */
    static final class AutoCasts extends java.util.ArrayList<String> {
        AutoCasts() {
            super(List.of("none", "matmul", "all"));
        }
    }

    @Override
    public ExportResult report(Context ctx) {
        return ExportService.export(request(), repoId, pushToHub, common.apply(ctx));
    }
}
